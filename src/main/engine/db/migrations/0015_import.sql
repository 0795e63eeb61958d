ALTER TABLE `deliveries` ADD `import_key` text;--> statement-breakpoint
CREATE UNIQUE INDEX `deliveries_import_key` ON `deliveries` (`import_key`) WHERE import_key IS NOT NULL;