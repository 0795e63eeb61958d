-- The whole feed's total, kept as SQLite keeps it in list_totals, so a page's total reads 64 rows
-- instead of counting every entry. One running count would make every instance's writers wait on
-- one row: a statement adds to one of 64 slots instead, the first no other transaction holds
-- (starting from its connection's own), and the total is the sum of the slots. A writer so never
-- waits on a slot (nor deadlocks through one) unless 64 transactions hold them all. The slots are
-- this store's own bookkeeping (db/pg/own-tables.ts), not a declared table: a workspace moved
-- here is counted as its rows are inserted.
CREATE TABLE "activity_total_slots" ("slot" integer PRIMARY KEY NOT NULL, "rows" bigint NOT NULL);--> statement-breakpoint
INSERT INTO "activity_total_slots" ("slot", "rows") SELECT s, CASE WHEN s = 0 THEN (SELECT count(*) FROM "activity") ELSE 0 END FROM generate_series(0, 63) AS s;--> statement-breakpoint
CREATE FUNCTION "activity_total_add"("delta" bigint) RETURNS void LANGUAGE plpgsql AS $$
DECLARE
  own integer := pg_backend_pid() % 64;
BEGIN
  IF "delta" = 0 THEN RETURN; END IF;
  UPDATE "activity_total_slots" SET "rows" = "rows" + "delta" WHERE "slot" = (
    SELECT "slot" FROM "activity_total_slots" ORDER BY ("slot" - own + 64) % 64 LIMIT 1 FOR UPDATE SKIP LOCKED);
  IF NOT FOUND THEN
    UPDATE "activity_total_slots" SET "rows" = "rows" + "delta" WHERE "slot" = own;
  END IF;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_total_added"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "activity_total_add"((SELECT count(*) FROM "added"));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_total_removed"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM "activity_total_add"(-(SELECT count(*) FROM "removed"));
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE FUNCTION "activity_total_cleared"() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE "activity_total_slots" SET "rows" = 0;
  RETURN NULL;
END $$;--> statement-breakpoint
CREATE TRIGGER "activity_total_insert" AFTER INSERT ON "activity" REFERENCING NEW TABLE AS "added" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_added"();--> statement-breakpoint
CREATE TRIGGER "activity_total_delete" AFTER DELETE ON "activity" REFERENCING OLD TABLE AS "removed" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_removed"();--> statement-breakpoint
CREATE TRIGGER "activity_total_truncate" AFTER TRUNCATE ON "activity" FOR EACH STATEMENT EXECUTE FUNCTION "activity_total_cleared"();
