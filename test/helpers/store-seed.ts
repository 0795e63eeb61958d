// Rows written straight into either store through its `query` (test/helpers/handler-stores.ts):
// the same SQL runs on SQLite and PostgreSQL, for lists longer than any page.
import type { ActivityKind, DeliveryOutcome, DeliverySource, Verdict } from '../../src/shared/types';

type Query = <T>(text: string, params?: unknown[]) => Promise<T[]>;

export interface SeededDelivery {
  hookId: string;
  packageId: string | null;
  receivedAt: number;
  source: DeliverySource;
  headers: [string, string][];
  body: Buffer;
  /** Defaults to the body's length; more when the body was stored cut short. */
  bodySize?: number;
  event: string | null;
  verdict: Verdict;
  statusCode: number;
  outcome: DeliveryOutcome;
  outcomeReason: string | null;
  tag: string | null;
  /** Each row's own: rows are found again by it. */
  providerDeliveryId: string;
  method: string | null;
  path: string | null;
  contentType: string | null;
}

const DELIVERY_COLUMNS = [
  'hook_id',
  'package_id',
  'received_at',
  'source',
  'headers',
  'body',
  'body_size',
  'event',
  'verdict',
  'status_code',
  'outcome',
  'outcome_reason',
  'tag',
  'provider_delivery_id',
  'method',
  'path',
  'content_type',
];

const values = (rows: unknown[][]) => rows.map((row, r) => `(${row.map((_, c) => `$${r * row.length + c + 1}`).join(', ')})`).join(', ');

async function insertInBatches(query: Query, table: string, columns: string[], rows: unknown[][]): Promise<void> {
  for (let from = 0; from < rows.length; from += 25) {
    const batch = rows.slice(from, from + 25);
    await query(`INSERT INTO ${table} (${columns.join(', ')}) VALUES ${values(batch)}`, batch.flat());
  }
}

/** The rows in the order given (so ids ascend with it); returns their ids in that order, read back by provider delivery id. */
export async function seedDeliveryRows(query: Query, rows: SeededDelivery[]): Promise<number[]> {
  await insertInBatches(
    query,
    'deliveries',
    DELIVERY_COLUMNS,
    rows.map((r) => [
      r.hookId,
      r.packageId,
      r.receivedAt,
      r.source,
      JSON.stringify(r.headers),
      r.body,
      r.bodySize ?? r.body.length,
      r.event,
      r.verdict,
      r.statusCode,
      r.outcome,
      r.outcomeReason,
      r.tag,
      r.providerDeliveryId,
      r.method,
      r.path,
      r.contentType,
    ]),
  );
  const stored = await query<{ id: number; provider_delivery_id: string }>('SELECT id, provider_delivery_id FROM deliveries');
  const idOf = new Map(stored.map((row) => [row.provider_delivery_id, Number(row.id)]));
  return rows.map((r) => idOf.get(r.providerDeliveryId)!);
}

export interface SeededActivity {
  at: number;
  kind: ActivityKind;
  message: string;
  packageId: string | null;
  packageName: string | null;
}

export async function seedActivityRows(query: Query, rows: SeededActivity[]): Promise<void> {
  await insertInBatches(
    query,
    'activity',
    ['at', 'kind', 'message', 'package_id', 'package_name'],
    rows.map((r) => [r.at, r.kind, r.message, r.packageId, r.packageName]),
  );
}
