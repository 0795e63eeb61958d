ALTER TABLE `inboxes` ADD `answer` text;--> statement-breakpoint
ALTER TABLE `inboxes` ADD `previous_secret_sealed` text;--> statement-breakpoint
ALTER TABLE `inboxes` ADD `previous_secret_expires_at` integer;--> statement-breakpoint
CREATE INDEX `deliveries_inbox_event` ON `deliveries` (`hook_id`,`provider_delivery_id`,`id`) WHERE package_id IS NULL AND provider_delivery_id IS NOT NULL;