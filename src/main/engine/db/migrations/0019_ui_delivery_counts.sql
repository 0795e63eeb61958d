CREATE INDEX `deliveries_received` ON `deliveries` (`received_at`);--> statement-breakpoint
INSERT INTO `list_totals` (`list`, `rows`) SELECT 'deliveries', count(*) FROM `deliveries`;--> statement-breakpoint
CREATE TRIGGER `deliveries_total_insert` AFTER INSERT ON `deliveries` BEGIN UPDATE `list_totals` SET `rows` = `rows` + 1 WHERE `list` = 'deliveries'; END;--> statement-breakpoint
CREATE TRIGGER `deliveries_total_delete` AFTER DELETE ON `deliveries` BEGIN UPDATE `list_totals` SET `rows` = `rows` - 1 WHERE `list` = 'deliveries'; END;
