CREATE TABLE `inbox_forward_targets` (
	`inbox_id` text NOT NULL,
	`url` text NOT NULL,
	`events` text NOT NULL,
	`path_rewrite` text,
	`pass_back` integer DEFAULT false NOT NULL,
	`retry_seconds` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`inbox_id`, `url`),
	FOREIGN KEY (`inbox_id`) REFERENCES `inboxes`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `inbox_forwards` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`delivery_id` integer NOT NULL,
	`inbox_id` text NOT NULL,
	`target_url` text NOT NULL,
	`pass_back` integer DEFAULT false NOT NULL,
	`state` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`claimed_until` integer,
	`status` integer,
	`response_headers` text,
	`response_body` blob,
	`duration_ms` integer,
	`error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`delivery_id`) REFERENCES `deliveries`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `inbox_forwards_delivery` ON `inbox_forwards` (`delivery_id`);--> statement-breakpoint
CREATE INDEX `inbox_forwards_due` ON `inbox_forwards` (`next_attempt_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `inbox_forwards_claimed` ON `inbox_forwards` (`claimed_until`) WHERE state = 'sending';