import { TableDigest } from './digest';
import { staysBehind } from './local-settings';
import type { Resealer } from './reseal';
import { MoveRefused } from './errors';
import type { MoveSource, SourceRow } from './source';
import { MAX_PARAMETERS, type MoveTarget } from './target-statements';
import type { MovedColumn, MovedTable } from './tables';

/** A batch is sent when it holds this many bytes of values or this many rows: memory stays bounded whatever the table holds. */
const BATCH_BYTES = 4 * 1024 * 1024;
const BATCH_ROWS = 1000;

export interface CopiedTable {
  rows: number;
  /** Settings that stay on this machine, with the reason. */
  skipped: { key: string; reason: string }[];
  /** Rows a dead process had claimed ('sending'), handed back to the queue. */
  claimsReset: number;
  /** Digest of each blob column's bytes, by column. */
  digests: Map<string, string>;
}

export interface CopyContext {
  source: MoveSource;
  target: MoveTarget;
  reseal: Resealer;
  signal?: AbortSignal;
  progress(table: string, done: number, total: number): void;
}

function value(table: MovedTable, column: MovedColumn, raw: unknown, row: SourceRow, reseal: Resealer): unknown {
  if (raw === null || raw === undefined) return null;
  switch (column.kind) {
    case 'boolean':
      return raw !== 0 && raw !== false;
    case 'blob':
      return Buffer.isBuffer(raw) ? raw : Buffer.from(String(raw));
    case 'text': {
      const text = String(raw);
      // PostgreSQL's text has no room for NUL; say which row holds one instead of losing it.
      if (text.includes('\u0000')) {
        const id = table.identity ? ` #${String(row[table.identity])}` : '';
        throw new MoveRefused(`${table.name}${id}: ${column.name} holds a NUL character, which PostgreSQL text cannot store. Nothing was written; delete or edit that row, then migrate again.`);
      }
      if (column.sealed === 'value') return reseal.value(text);
      return column.sealed === 'headers' ? reseal.text(text, table.name, column.name) : text;
    }
    default:
      return raw;
  }
}

const sizeOf = (v: unknown) => (Buffer.isBuffer(v) ? v.length : typeof v === 'string' ? v.length * 2 : 8);

/** Streams one table from the snapshot into the server, batch by batch, checking what it carries. */
export async function copyTable(table: MovedTable, ctx: CopyContext): Promise<CopiedTable> {
  const total = ctx.source.count(table);
  const blobs = table.identity ? table.columns.filter((c) => c.kind === 'blob') : [];
  const digests = new Map(blobs.map((c) => [c.name, new TableDigest()]));
  const maxRows = Math.max(1, Math.min(BATCH_ROWS, Math.floor(MAX_PARAMETERS / table.columns.length)));
  const result: CopiedTable = { rows: 0, skipped: [], claimsReset: 0, digests: new Map() };
  let batch: unknown[][] = [];
  let bytes = 0;
  let seen = 0;
  const flush = async () => {
    ctx.signal?.throwIfAborted();
    try {
      await ctx.target.insert(table, batch);
    } catch (error) {
      throw new Error(`Writing ${table.name} to the server failed: ${(error as Error).message}`, { cause: error });
    }
    result.rows += batch.length;
    batch = [];
    bytes = 0;
    ctx.progress(table.name, seen, total);
  };
  for (const row of ctx.source.rows(table)) {
    seen++;
    if (table.name === 'settings') {
      const reason = staysBehind(String(row.key));
      if (reason) {
        result.skipped.push({ key: String(row.key), reason });
        continue;
      }
    }
    if (table.claims && row.state === 'sending') {
      row.state = 'pending';
      row.claimed_until = null;
      result.claimsReset++;
    }
    const values = table.columns.map((c) => value(table, c, row[c.name], row, ctx.reseal));
    for (const [name, digest] of digests) digest.addBytes(Number(row[table.identity!]), (row[name] as Buffer | null) ?? null);
    batch.push(values);
    bytes += values.reduce<number>((sum, v) => sum + sizeOf(v), 0);
    if (batch.length >= maxRows || bytes >= BATCH_BYTES) await flush();
  }
  await flush();
  for (const [name, digest] of digests) result.digests.set(name, digest.hex());
  return result;
}

/** The same digest, computed from what the server stored. */
export async function targetDigest(target: MoveTarget, table: MovedTable, column: string): Promise<string> {
  const digest = new TableDigest();
  let after = 0;
  for (;;) {
    const page = await target.blobHashes(table, column, after, 1000);
    for (const row of page) digest.addRow(row.id, row.hash);
    if (page.length === 0) break;
    after = page.at(-1)!.id;
  }
  return digest.hex();
}
