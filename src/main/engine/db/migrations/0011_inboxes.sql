CREATE TABLE `inboxes` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`dialect` text NOT NULL,
	`secret_sealed` text,
	`tolerance_seconds` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `method` text;--> statement-breakpoint
ALTER TABLE `deliveries` ADD `path` text;