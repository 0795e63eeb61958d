import { defineConfig } from 'drizzle-kit';

// The team server's PostgreSQL migrations, from the same declaration as SQLite's (see db/pg/schema.ts).
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/main/engine/db/pg/schema.ts',
  out: './src/main/engine/db/pg/migrations',
});
