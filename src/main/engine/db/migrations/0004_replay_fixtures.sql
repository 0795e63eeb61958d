CREATE TABLE `fixtures` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`name` text NOT NULL,
	`origin` text NOT NULL,
	`dialect` text,
	`event` text,
	`headers` text NOT NULL,
	`body` blob NOT NULL,
	`content_type` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `replays` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`source` text NOT NULL,
	`mode` text NOT NULL,
	`target_url` text NOT NULL,
	`request_headers` text NOT NULL,
	`request_body` blob NOT NULL,
	`status` integer,
	`response_headers` text,
	`response_body` blob,
	`duration_ms` integer,
	`error` text,
	`delivery_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `replays_source` ON `replays` (`source`);--> statement-breakpoint
ALTER TABLE `deliveries` ADD `replay_of` text;