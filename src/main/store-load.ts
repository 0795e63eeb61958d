// `node out/main/store-load.js --database DIR|postgres://… --count N [options]`: one writer process
// storing deliveries through the receiver's group commit as fast as it can, for the store bench
// (bench/receiver-store.js) and the tests that race several writers on one database. No HTTP, no
// signature check: only the store. With --wait it prints {"ready":true} once open and starts on
// a line on stdin, so several processes start together. Prints one JSON line of results.
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { startCheckpointer } from './engine/db/checkpointer';
import { setBusyTimeout } from './engine/db/busy-timeout';
import { openDatabase, SERVING_BUSY_TIMEOUT_MS } from './engine/db/open';
import { isPostgresUrl, openPostgres } from './engine/db/pg/open';
import { createDeliveryWriter, type IncomingDelivery } from './engine/receiver/delivery-writer';
import type { DeliveryStore } from './engine/receiver/delivery-store';
import { createPgDeliveryStore } from './engine/receiver/pg-delivery-store';
import { createSqliteDeliveryStore } from './engine/receiver/sqlite-delivery-store';

const { values: args } = parseArgs({
  options: {
    database: { type: 'string' },
    count: { type: 'string', default: '1000' },
    'in-flight': { type: 'string', default: '64' },
    'body-bytes': { type: 'string', default: '1024' },
    prefix: { type: 'string', default: `load-${process.pid}` },
    hook: { type: 'string', default: 'hook_load' },
    package: { type: 'string', default: 'pkg_load' },
    'pool-size': { type: 'string', default: '4' },
    wait: { type: 'boolean', default: false },
    // Last id first: two writers going opposite ways over one set of ids meet in the middle.
    reverse: { type: 'boolean', default: false },
  },
});
if (!args.database) throw new Error('--database DIR or --database postgres://… is required');
const count = Number(args.count);
const inFlight = Number(args['in-flight']);

async function openStore(database: string): Promise<{ store: DeliveryStore; close: () => Promise<void> }> {
  if (isPostgresUrl(database)) {
    const db = await openPostgres(database, { poolSize: Number(args['pool-size']) });
    return { store: createPgDeliveryStore(db.$client), close: () => db.$client.end() };
  }
  const db = openDatabase(database);
  // As `serve` runs it: never waiting long for another process's lock, checkpoints beside the writer.
  setBusyTimeout(db.$client, SERVING_BUSY_TIMEOUT_MS);
  const checkpointer = startCheckpointer(db.$client);
  return {
    store: createSqliteDeliveryStore(db),
    close: async () => {
      await checkpointer.stop();
      db.$client.close();
    },
  };
}

/** A tag push of about `body-bytes`, with the headers GitHub sends. */
function delivery(i: number): IncomingDelivery {
  const id = `${args.prefix}-${i}`;
  const head = JSON.stringify({ ref: `refs/tags/v1.0.${i}`, ref_type: 'tag', repository: { full_name: 'acme/widgets' }, pad: '' });
  const body = Buffer.from(head.replace('"pad":""', `"pad":"${'x'.repeat(Math.max(0, Number(args['body-bytes']) - head.length))}"`));
  return {
    hookId: args.hook,
    packageId: args.package,
    receivedAt: Date.now(),
    source: 'direct',
    remoteAddress: '127.0.0.1',
    headers: [
      ['Host', '127.0.0.1'],
      ['User-Agent', 'GitHub-Hookshot/load'],
      ['Content-Type', 'application/json'],
      ['X-GitHub-Event', 'create'],
      ['X-GitHub-Delivery', id],
      ['X-Hub-Signature-256', `sha256=${'0'.repeat(64)}`],
    ],
    body,
    contentType: 'application/json',
    providerDeliveryId: id,
    event: 'create',
    verdict: 'valid',
    verdictDetail: null,
    statusCode: 202,
    outcome: 'pending',
    outcomeReason: null,
    tag: `v1.0.${i}`,
  };
}

const { store, close } = await openStore(args.database);
const writer = createDeliveryWriter(store, () => undefined);
if (args.wait) {
  process.stdout.write(`${JSON.stringify({ ready: true })}\n`);
  await new Promise<void>((resolve) => createInterface({ input: process.stdin }).once('line', () => resolve()));
}

const result = { acknowledged: 0, duplicates: 0, failed: 0, ms: 0, errors: [] as string[] };
const started = performance.now();
let next = 0;
async function lane(): Promise<void> {
  while (next < count) {
    try {
      const i = next++;
      const stored = await writer.write(delivery(args.reverse ? count - 1 - i : i));
      result.acknowledged++;
      if (stored.duplicateOf !== null) result.duplicates++;
    } catch (error) {
      result.failed++;
      if (result.errors.length < 5) result.errors.push((error as Error).message);
    }
  }
}
await Promise.all(Array.from({ length: Math.min(inFlight, count) }, lane));
result.ms = performance.now() - started;
await writer.close();
await close();
process.stdout.write(`${JSON.stringify(result)}\n`);
