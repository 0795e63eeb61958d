CREATE TABLE `connections` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`base_url` text NOT NULL,
	`token_sealed` text NOT NULL,
	`login` text NOT NULL,
	`account_id` text,
	`scopes` text,
	`server_version` text,
	`expires_at` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `hooks` ADD `previous_secret_sealed` text;--> statement-breakpoint
ALTER TABLE `hooks` ADD `previous_secret_expires_at` integer;--> statement-breakpoint
ALTER TABLE `hooks` ADD `rotation_step` text;--> statement-breakpoint
ALTER TABLE `hooks` ADD `rotation_error` text;--> statement-breakpoint
ALTER TABLE `hooks` ADD `upstream_checked_at` integer;--> statement-breakpoint
ALTER TABLE `packages` ADD `connection_id` text REFERENCES connections(id);