ALTER TABLE `activity` ADD `package_name` text;--> statement-breakpoint
UPDATE `activity` SET `package_name` = (SELECT `name` FROM `packages` WHERE `packages`.`id` = `activity`.`package_id`) WHERE `package_id` IS NOT NULL;--> statement-breakpoint
UPDATE `activity` SET `package_name` = (
  SELECT substr(a.`message`, 9, instr(a.`message`, ' added for ') - 9) FROM `activity` a
  WHERE a.`package_id` = `activity`.`package_id` AND a.`kind` = 'package_added' AND a.`message` LIKE 'Package % added for %'
  ORDER BY a.`id` DESC LIMIT 1
) WHERE `package_id` IS NOT NULL AND `package_name` IS NULL;
