CREATE TABLE `retention_policies` (
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`days` integer,
	`max_deliveries` integer,
	`max_bytes` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`scope`, `scope_id`)
);
--> statement-breakpoint
ALTER TABLE `deliveries` ADD `kept_at` integer;--> statement-breakpoint
CREATE INDEX `deliveries_retention` ON `deliveries` (coalesce("package_id", "hook_id"),`received_at`);