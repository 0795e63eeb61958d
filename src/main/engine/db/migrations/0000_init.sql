CREATE TABLE `activity` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`package_id` text,
	`kind` text NOT NULL,
	`message` text NOT NULL,
	`delivery_id` integer,
	`release_id` integer
);
--> statement-breakpoint
CREATE INDEX `activity_package` ON `activity` (`package_id`,`id`);--> statement-breakpoint
CREATE TABLE `deliveries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`hook_id` text NOT NULL,
	`package_id` text,
	`received_at` integer NOT NULL,
	`source` text NOT NULL,
	`remote_address` text,
	`headers` text NOT NULL,
	`body` blob NOT NULL,
	`body_size` integer NOT NULL,
	`content_type` text,
	`provider_delivery_id` text,
	`event` text,
	`verdict` text NOT NULL,
	`verdict_detail` text,
	`status_code` integer NOT NULL,
	`outcome` text NOT NULL,
	`outcome_reason` text,
	`duplicate_of` integer,
	`tag` text,
	`release_id` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_provider_id_unique` ON `deliveries` (`hook_id`,`provider_delivery_id`) WHERE duplicate_of IS NULL AND provider_delivery_id IS NOT NULL AND outcome <> 'rejected';--> statement-breakpoint
CREATE INDEX `deliveries_pending` ON `deliveries` (`id`) WHERE outcome = 'pending';--> statement-breakpoint
CREATE INDEX `deliveries_package_time` ON `deliveries` (`package_id`,`id`);--> statement-breakpoint
CREATE INDEX `deliveries_outcome` ON `deliveries` (`outcome`,`id`);--> statement-breakpoint
CREATE TABLE `hooks` (
	`id` text PRIMARY KEY NOT NULL,
	`package_id` text NOT NULL,
	`secret_sealed` text NOT NULL,
	`status` text NOT NULL,
	`status_reason` text,
	`verified_at` integer,
	`provider_hook_id` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `hooks_package_unique` ON `hooks` (`package_id`);--> statement-breakpoint
CREATE TABLE `packages` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`provider` text NOT NULL,
	`repo_full_name` text NOT NULL,
	`repo_id` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `release_checks` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`release_id` integer NOT NULL,
	`rule` text NOT NULL,
	`severity` text NOT NULL,
	`passed` integer NOT NULL,
	`detail` text NOT NULL,
	FOREIGN KEY (`release_id`) REFERENCES `releases`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `release_checks_release` ON `release_checks` (`release_id`);--> statement-breakpoint
CREATE TABLE `releases` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`package_id` text NOT NULL,
	`tag` text NOT NULL,
	`version` text NOT NULL,
	`prerelease` integer NOT NULL,
	`commit_sha` text,
	`status` text NOT NULL,
	`delivery_id` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`package_id`) REFERENCES `packages`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `releases_package_tag_unique` ON `releases` (`package_id`,`tag`);--> statement-breakpoint
CREATE TABLE `settings` (
	`key` text PRIMARY KEY NOT NULL,
	`value` text NOT NULL
);
