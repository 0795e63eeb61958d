ALTER TABLE `fixtures` ADD `method` text;--> statement-breakpoint
ALTER TABLE `fixtures` ADD `path` text;