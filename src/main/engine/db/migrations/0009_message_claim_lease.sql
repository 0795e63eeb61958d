ALTER TABLE `messages` ADD `claimed_until` integer;--> statement-breakpoint
CREATE INDEX `messages_claimed` ON `messages` (`claimed_until`) WHERE state = 'sending';