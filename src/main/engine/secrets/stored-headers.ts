import { setImmediate as yieldToEvents } from 'node:timers/promises';
import { isHiddenHeader } from '../../../shared/secret-headers';
import type { Db } from '../db/open';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { getSetting, setSetting } from '../store/settings';
import { hasClearSecret, headersForStorage, parseHeaders } from './header-seal';
import type { SecretBox } from './secret-box';
import { sealedColumns } from './sealed-columns';

const DONE_KEY = 'secrets.storedHeadersSealed';
/** Rows looked at per transaction: short enough that the receiver never waits long on one. */
const WINDOW = 200;
/** Cheap pre-filter in SQL (LIKE ignores ASCII case); the exact rule is applied to what it finds. */
const CANDIDATE = ['token', 'auth', 'cookie', 'secret', 'pass', 'key', 'session', 'credential'];

/** A relay's headers (sent on as they are), where credentials are dropped rather than sealed. */
const DROPPED = new Set(['messages.extra_headers']);

/** Every stored header list, as the schema's naming rule finds them. */
const targets = () =>
  sealedColumns()
    .filter((c) => c.shape === 'headers')
    .map((c) => ({ ...c, drop: DROPPED.has(`${c.table}.${c.column}`) }));

function rewrite(json: string, box: SecretBox, drop: boolean): string | null {
  const pairs = parseHeaders(json);
  if (drop) {
    const kept = pairs.filter((pair) => !isHiddenHeader(pair));
    return kept.length === pairs.length ? null : JSON.stringify(kept);
  }
  return hasClearSecret(pairs) ? headersForStorage(box, pairs) : null;
}

/**
 * A stored header list of `table.column` with its clear credentials as this version stores them
 * (sealed with `box`, or dropped from a relay's), or null when it holds none: what the
 * background sealing writes, for rows that reach a store another way (a workspace move).
 */
export function clearCredentialsSealed(json: string, box: SecretBox, table: string, column: string): string | null {
  const lower = json.toLowerCase();
  if (!CANDIDATE.some((word) => lower.includes(word))) return null;
  return rewrite(json, box, DROPPED.has(`${table}.${column}`));
}

/**
 * Rows written before credentials were sealed get sealed too, in the background, window by
 * window, resuming where a previous run stopped; every view already hides them meanwhile.
 * Overwritten text is zeroed in the file (secure_delete) while this runs.
 */
export async function sealStoredHeaders(db: Db, box: SecretBox, stopped: () => boolean = () => false): Promise<number> {
  if (getSetting(db, DONE_KEY) === 'done') return 0;
  const sqlite = db.$client;
  let changed = 0;
  for (const { table, column, drop } of targets()) {
    const name = `"${table}"`;
    const col = `"${column}"`;
    const progressKey = `${DONE_KEY}.${table}.${column}`;
    const last = sqlite.prepare<[], number | null>(`SELECT max(id) FROM ${name}`).pluck().get() ?? 0;
    const like = CANDIDATE.map(() => `${col} LIKE ?`).join(' OR ');
    const select = sqlite.prepare<unknown[], { id: number; value: string }>(`SELECT id, ${col} AS value FROM ${name} WHERE id > ? AND id <= ? AND (${like})`);
    const update = sqlite.prepare(`UPDATE ${name} SET ${col} = ? WHERE id = ?`);
    let from = Number(getSetting(db, progressKey) ?? 0);
    while (from < last) {
      if (stopped()) return changed;
      const to = Math.min(from + WINDOW, last);
      sqlite.pragma('secure_delete = ON');
      try {
        // Redone from the stored rows if lost: no need to wait for the disk on the receiver's thread.
        unsyncedTransaction(db, () => {
          for (const row of select.all(from, to, ...CANDIDATE.map((c) => `%${c}%`))) {
            const next = row.value === null ? null : rewrite(row.value, box, drop);
            if (next !== null) changed += update.run(next, row.id).changes;
          }
          setSetting(db, progressKey, String(to));
        });
      } finally {
        sqlite.pragma('secure_delete = OFF');
      }
      from = to;
      await yieldToEvents();
    }
  }
  setSetting(db, DONE_KEY, 'done');
  return changed;
}
