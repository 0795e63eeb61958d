CREATE TABLE `attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_row_id` integer NOT NULL,
	`endpoint_id` text NOT NULL,
	`attempt_no` integer NOT NULL,
	`trigger` text NOT NULL,
	`started_at` integer NOT NULL,
	`url` text NOT NULL,
	`request_headers` text NOT NULL,
	`status` integer,
	`response_headers` text,
	`response_body` blob,
	`response_truncated` integer DEFAULT false NOT NULL,
	`duration_ms` integer,
	`error` text,
	`succeeded` integer NOT NULL,
	FOREIGN KEY (`message_row_id`) REFERENCES `messages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `attempts_endpoint` ON `attempts` (`endpoint_id`,`id`);--> statement-breakpoint
CREATE INDEX `attempts_message` ON `attempts` (`message_row_id`);--> statement-breakpoint
CREATE TABLE `endpoints` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`url` text NOT NULL,
	`dialect` text NOT NULL,
	`events` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`previous_secret_sealed` text,
	`previous_secret_expires_at` integer,
	`retry_delays` text,
	`active` integer NOT NULL,
	`disabled_reason` text,
	`consecutive_failures` integer DEFAULT 0 NOT NULL,
	`max_in_flight` integer DEFAULT 4 NOT NULL,
	`timeout_ms` integer DEFAULT 15000 NOT NULL,
	`relay_package_id` text,
	`relay_mode` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`message_id` text NOT NULL,
	`endpoint_id` text NOT NULL,
	`event` text NOT NULL,
	`body` blob NOT NULL,
	`content_type` text NOT NULL,
	`extra_headers` text,
	`signed` integer DEFAULT true NOT NULL,
	`source` text NOT NULL,
	`state` text NOT NULL,
	`attempt_count` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer,
	`last_status` integer,
	`last_error` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`endpoint_id`) REFERENCES `endpoints`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `messages_due` ON `messages` (`next_attempt_at`) WHERE state = 'pending';--> statement-breakpoint
CREATE INDEX `messages_endpoint` ON `messages` (`endpoint_id`,`id`);