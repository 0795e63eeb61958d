import { and, eq, gt, inArray, like, max } from 'drizzle-orm';
import type { Db } from '../db/open';
import { deliveries, fixtures, settings } from '../db/schema';
import { deleteInSlices } from '../db/sliced-writes';

/**
 * An import writes in many short transactions (so a running serve keeps the write lock for
 * its receiver), and is written down while it runs: should the importing process die
 * midway, the next import, or the next start of serve, takes back what it wrote.
 */
const KEY_PREFIX = 'import.running:';
const CHUNK = 200;

interface ImportRun {
  pid: number;
  path: string;
  /** Every row this import writes has a larger id. */
  afterId: number;
}

export function beginImportRun(db: Db, marker: string, path: string): void {
  db.transaction((tx) => {
    const afterId = tx.select({ id: max(deliveries.id) }).from(deliveries).get()?.id ?? 0;
    const run: ImportRun = { pid: process.pid, path, afterId };
    tx.insert(settings).values({ key: KEY_PREFIX + marker, value: JSON.stringify(run) }).run();
  });
}

export function endImportRun(db: Db, marker: string): void {
  db.delete(settings).where(eq(settings.key, KEY_PREFIX + marker)).run();
}

/** Deletes what an import wrote, a few hundred rows at a time, then forgets the run. */
export async function takeBackImport(db: Db, marker: string): Promise<void> {
  const row = db.select().from(settings).where(eq(settings.key, KEY_PREFIX + marker)).get();
  const afterId = row ? (JSON.parse(row.value) as ImportRun).afterId : 0;
  await deleteInSlices(db, () => {
    const ids = db
      .select({ id: deliveries.id })
      .from(deliveries)
      .where(and(gt(deliveries.id, afterId), eq(deliveries.hookId, marker)))
      .limit(CHUNK)
      .all()
      .map((r) => r.id);
    if (ids.length > 0) db.delete(deliveries).where(inArray(deliveries.id, ids)).run();
    return ids.length;
  });
  db.transaction((tx) => {
    tx.delete(fixtures).where(eq(fixtures.origin, marker)).run();
    tx.delete(settings).where(eq(settings.key, KEY_PREFIX + marker)).run();
  });
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/** Takes back the imports whose process died before finishing; returns how many there were. */
export async function sweepAbandonedImports(db: Db): Promise<number> {
  const runs = db.select().from(settings).where(like(settings.key, `${KEY_PREFIX}%`)).all();
  let swept = 0;
  for (const { key, value } of runs) {
    if (alive((JSON.parse(value) as ImportRun).pid)) continue;
    await takeBackImport(db, key.slice(KEY_PREFIX.length));
    swept++;
  }
  return swept;
}
