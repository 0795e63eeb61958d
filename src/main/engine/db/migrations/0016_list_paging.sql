CREATE TABLE `list_totals` (
	`list` text PRIMARY KEY NOT NULL,
	`rows` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `deliveries_hook_page` ON `deliveries` (`hook_id`,`id`);--> statement-breakpoint
CREATE INDEX `releases_package_page` ON `releases` (`package_id`,`id`);--> statement-breakpoint
INSERT INTO `list_totals` (`list`, `rows`) SELECT 'activity', count(*) FROM `activity`;--> statement-breakpoint
CREATE TRIGGER `activity_total_insert` AFTER INSERT ON `activity` BEGIN UPDATE `list_totals` SET `rows` = `rows` + 1 WHERE `list` = 'activity'; END;--> statement-breakpoint
CREATE TRIGGER `activity_total_delete` AFTER DELETE ON `activity` BEGIN UPDATE `list_totals` SET `rows` = `rows` - 1 WHERE `list` = 'activity'; END;
