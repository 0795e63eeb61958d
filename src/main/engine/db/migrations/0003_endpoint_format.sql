ALTER TABLE `endpoints` ADD `format` text DEFAULT 'dialect' NOT NULL;--> statement-breakpoint
ALTER TABLE `endpoints` ADD `template` text;