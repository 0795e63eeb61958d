ALTER TABLE "fixtures" ADD COLUMN "method" text;--> statement-breakpoint
ALTER TABLE "fixtures" ADD COLUMN "path" text;