ALTER TABLE `messages` ADD `run_from` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
ALTER TABLE `messages` ADD `manual_next` integer DEFAULT false NOT NULL;