-- The whole feed's total, kept as SQLite keeps it in list_totals, so a page's total reads a few
-- rows instead of counting every entry. One running count would make every instance's writers
-- wait on one row: each connection adds to its own slot (its process id modulo 64), once per
-- statement, and the total is the sum of the slots. The slots are this store's own bookkeeping
-- (db/pg/own-tables.ts), not a declared table: a workspace moved here is counted as it is inserted.
CREATE TABLE "activity_total_slots" ("slot" integer PRIMARY KEY NOT NULL, "rows" bigint NOT NULL);--> statement-breakpoint
INSERT INTO "activity_total_slots" ("slot", "rows") SELECT 0, count(*) FROM "activity";--> statement-breakpoint
CREATE FUNCTION "activity_total_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "activity_total_slots" ("slot", "rows") SELECT pg_backend_pid() % 64, count(*) FROM "added" HAVING count(*) > 0
    ON CONFLICT ("slot") DO UPDATE SET "rows" = "activity_total_slots"."rows" + excluded."rows";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_total_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO "activity_total_slots" ("slot", "rows") SELECT pg_backend_pid() % 64, -count(*) FROM "removed" HAVING count(*) > 0
    ON CONFLICT ("slot") DO UPDATE SET "rows" = "activity_total_slots"."rows" + excluded."rows";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_total_cleared"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM "activity_total_slots";
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_total_insert" AFTER INSERT ON "activity" REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_added"();--> statement-breakpoint
CREATE TRIGGER "activity_total_delete" AFTER DELETE ON "activity" REFERENCING OLD TABLE AS "removed" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_removed"();--> statement-breakpoint
CREATE TRIGGER "activity_total_truncate" AFTER TRUNCATE ON "activity" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_cleared"();
