CREATE INDEX `deliveries_hook_page` ON `deliveries` (`hook_id`,`id`);--> statement-breakpoint
CREATE INDEX `releases_package_page` ON `releases` (`package_id`,`id`);