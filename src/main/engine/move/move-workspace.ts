import { SchemaMismatchError } from '../db/migrate';
import { hidePassword, openPostgres } from '../db/pg/open';
import { copyTable, targetDigest, type CopiedTable } from './copy-table';
import { sourceBox, targetKey } from './keys';
import { localSettingKeys } from './local-settings';
import { checkSecretsOpen, createResealer } from './reseal';
import { MoveRefused } from './errors';
import { openSource } from './source';
import { postgresMoveTarget, type MoveTarget } from './target-statements';
import { movedTables, type MovedTable } from './tables';

export interface MoveOptions {
  from: string;
  to: string;
  /** Empty a target that holds data instead of refusing it. */
  replace: boolean;
  keyFile?: string;
  env?: NodeJS.ProcessEnv;
  signal?: AbortSignal;
  progress?: (table: string, done: number, total: number) => void;
}

export interface MovedTableReport {
  table: string;
  source: number;
  /** Rows that stay on this machine (settings of its own). */
  skipped: number;
  target: number;
  ok: boolean;
}

export interface MoveReport {
  from: string;
  /** The server's URL with any password hidden. */
  to: string;
  ok: boolean;
  committed: boolean;
  replaced: boolean;
  /** When the data dir was read: what arrives later stays there. */
  snapshotAt: number;
  /** Processes that had the data dir open (a running serve): their later writes are not moved. */
  sourceOpenBy: number[];
  tables: MovedTableReport[];
  digests: { table: string; column: string; source: string; target: string; ok: boolean }[];
  settingsLeft: { key: string; reason: string }[];
  resealed: number;
  keyFrom: string;
  claimsReset: number;
  /** The next id each numbered table gives out on the server. */
  nextIds: Record<string, number>;
}

const OCCUPIED_CAP = 1000;

async function openServer(url: string) {
  try {
    return await openPostgres(url, { poolSize: 1 });
  } catch (error) {
    if (error instanceof SchemaMismatchError) throw new MoveRefused(error.message);
    throw new MoveRefused(`Cannot open the server's database at ${hidePassword(url)}: ${(error as Error).message}. Nothing was written.`);
  }
}


/** Refuses a server that already holds a workspace, naming what is there; its own bookkeeping does not count. */
async function refuseOccupied(target: MoveTarget, tables: MovedTable[], to: string, settingKeys: string[]): Promise<void> {
  const found: string[] = [];
  for (const table of tables) {
    if (table.name === 'list_totals') continue;
    const n = await target.rowsIn(table, OCCUPIED_CAP, table.name === 'settings' ? settingKeys : []);
    if (n) found.push(`${n >= OCCUPIED_CAP ? `${OCCUPIED_CAP}+` : n} ${table.name}`);
  }
  if (found.length) {
    throw new MoveRefused(`${hidePassword(to)} is not empty: it holds ${found.join(', ')}. Nothing was written. To empty it and move this workspace there instead, run again with --replace.`);
  }
}

/**
 * Moves a desktop data dir into a team server's PostgreSQL database: every declared table in
 * foreign-key order, from one SQLite snapshot, in one PostgreSQL transaction, so a failure,
 * Ctrl+C or a killed process leaves the server as it was. Secrets are opened with the data
 * dir's key and sealed with the server's. Counts and body digests are checked on both sides
 * before the transaction commits; a mismatch rolls it back.
 */
export async function moveWorkspace(options: MoveOptions): Promise<MoveReport> {
  const tables = movedTables();
  const key = targetKey(options.keyFile, options.env);
  const source = openSource(options.from, tables);
  const snapshotAt = Date.now();
  try {
    const { box, keyFile } = sourceBox(options.from, key.ring);
    checkSecretsOpen(source, tables, box, keyFile, options.from);
    const reseal = createResealer(box, key.key);
    const db = await openServer(options.to);
    const client = await db.$client.connect();
    const target = postgresMoveTarget(client);
    try {
      await target.begin(tables);
      if (!options.replace) await refuseOccupied(target, tables, options.to, localSettingKeys());
      await target.clear(tables);
      const copied = new Map<string, CopiedTable>();
      const nextIds: Record<string, number> = {};
      for (const table of tables) {
        copied.set(table.name, await copyTable(table, { source, target, reseal, signal: options.signal, progress: options.progress ?? (() => undefined) }));
        if (table.identity) nextIds[table.name] = await target.continueIdentity(table, source.highestId(table));
      }
      const report: MoveReport = {
        from: options.from,
        to: hidePassword(options.to),
        ok: true,
        committed: false,
        replaced: options.replace,
        snapshotAt,
        sourceOpenBy: source.openers,
        tables: [],
        digests: [],
        settingsLeft: copied.get('settings')?.skipped ?? [],
        resealed: reseal.count,
        keyFrom: key.from,
        claimsReset: [...copied.values()].reduce((n, c) => n + c.claimsReset, 0),
        nextIds,
      };
      for (const table of tables) {
        const c = copied.get(table.name)!;
        const sourceRows = source.count(table);
        const onServer = await target.count(table);
        report.tables.push({ table: table.name, source: sourceRows, skipped: c.skipped.length, target: onServer, ok: onServer === sourceRows - c.skipped.length && onServer === c.rows });
        for (const [column, digest] of c.digests) {
          const stored = await targetDigest(target, table, column);
          report.digests.push({ table: table.name, column, source: digest, target: stored, ok: stored === digest });
        }
      }
      report.ok = report.tables.every((t) => t.ok) && report.digests.every((d) => d.ok);
      options.signal?.throwIfAborted();
      if (report.ok) {
        await target.commit();
        report.committed = true;
      } else {
        await target.rollback();
      }
      return report;
    } catch (error) {
      await target.rollback().catch(() => undefined);
      if (error instanceof MoveRefused || options.signal?.aborted) throw error;
      throw new Error(`${(error as Error).message} The copy was rolled back: the server is as it was.`, { cause: error });
    } finally {
      client.release();
      await db.$client.end();
    }
  } finally {
    source.close();
  }
}
