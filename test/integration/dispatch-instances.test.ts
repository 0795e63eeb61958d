/**
 * Several dispatchers on one store, as a team server runs them: the same tests against a
 * SQLite data dir and a PostgreSQL database on a throwaway cluster. Each dispatcher is a real
 * `hookbench dispatch` process sending to a real HTTP endpoint on loopback. Needs `npm run build`.
 */
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import { startCountingSink, type Arrival } from '../helpers/counting-sink';
import { startDispatch, type DispatchHandle } from '../helpers/dispatch-process';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { localPortsOf } from '../helpers/process-sockets';
import { addEndpoint, messageStates, postgresStore, queueMessages, sqliteStore, type QueueStore } from '../helpers/queue-stores';
import { waitUntil } from '../helpers/wait-until';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
});
afterAll(() => cluster?.stop());

let databases = 0;
const stores: Record<string, () => Promise<QueueStore>> = {
  sqlite: sqliteStore,
  postgres: () => postgresStore(cluster, `dispatch_${++databases}`),
};

async function openStore(kind: string): Promise<QueueStore> {
  const store = await stores[kind]!();
  onTestFinished(() => store.close());
  return store;
}

async function dispatchers(store: QueueStore, count: number): Promise<DispatchHandle[]> {
  const started = await Promise.all(Array.from({ length: count }, () => startDispatch(store.args, store.env)));
  onTestFinished(async () => void (await Promise.all(started.map((d) => d.stop('SIGKILL')))));
  return started;
}

const allSucceeded = (store: QueueStore, count: number) => waitUntil(() => messageStates(store), (states) => states.succeeded === count, 120_000);

function byMessage(arrivals: Arrival[]): Map<string, Arrival[]> {
  const grouped = new Map<string, Arrival[]>();
  for (const a of arrivals) grouped.set(a.messageId, [...(grouped.get(a.messageId) ?? []), a]);
  return grouped;
}

const everyId = (count: number) => Array.from({ length: count }, (_, n) => `msg_${n}`).sort();

describe.each(['sqlite', 'postgres'])('three dispatchers on one %s store', (kind) => {
  it('deliver 2,000 messages, each sent once', { timeout: 180_000 }, async () => {
    const store = await openStore(kind);
    const sink = await startCountingSink({ latencyMs: 1 });
    const endpointId = await addEndpoint(store, { url: sink.url, maxInFlight: 24 });
    await dispatchers(store, 3);
    await queueMessages(store, endpointId, 2000);

    await allSucceeded(store, 2000);
    const sent = byMessage(sink.arrivals);
    expect([...sent.keys()].sort()).toEqual(everyId(2000));
    expect([...sent.values()].filter((copies) => copies.length > 1)).toEqual([]);
    const [attempts] = await store.query<{ n: number | string }>('SELECT count(*) AS n FROM attempts');
    expect(Number(attempts?.n)).toBe(2000);
  });

  it("keep an endpoint's max in flight across all of them", { timeout: 180_000 }, async () => {
    const store = await openStore(kind);
    const sink = await startCountingSink({ latencyMs: 25 });
    const endpointId = await addEndpoint(store, { url: sink.url, maxInFlight: 2 });
    await dispatchers(store, 3);
    await queueMessages(store, endpointId, 120);

    await allSucceeded(store, 120);
    expect(sink.arrivals).toHaveLength(120);
    expect(sink.mostOpen()).toBe(2);
  });

  it('take back the sends of one killed mid-run once its lease runs out, and send nothing twice otherwise', { timeout: 180_000 }, async () => {
    const store = await openStore(kind);
    const the: { victim?: DispatchHandle } = {};
    let victimPorts = new Set<number>();
    // Which dispatcher a request came from, by the port of its connection (looked up again for a port not seen yet).
    const from = (port: number) => {
      const { victim } = the;
      if (victim && !victimPorts.has(port) && victim.child.exitCode === null && victim.child.signalCode === null) victimPorts = localPortsOf(victim.pid);
      return victimPorts.has(port) ? 'victim' : 'other';
    };
    const sink = await startCountingSink({ latencyMs: 2, from });
    // A 10 s timeout (longer than the run before the kill) makes the lease 15 s.
    const endpointId = await addEndpoint(store, { url: sink.url, maxInFlight: 12, timeoutMs: 10_000 });
    // The victim starts alone, so it certainly holds claims, and three of its sends never get an
    // answer: it is mid-send when it is killed, with most messages still to send.
    sink.holdWhen((a) => a.from === 'victim' && sink.heldCount() < 3);
    const victim = (the.victim = (await dispatchers(store, 1))[0]!);
    await queueMessages(store, endpointId, 2000);
    await sink.until(() => sink.heldCount() > 0);
    await dispatchers(store, 2);
    await sink.until(() => sink.arrivals.length >= 300);
    await victim.stop('SIGKILL');
    const heldAtKill = sink.arrivals.filter((a) => a.from === 'victim' && !a.answered).map((a) => a.messageId);
    expect(heldAtKill.length).toBeGreaterThan(0);

    await allSucceeded(store, 2000);
    const sent = byMessage(sink.arrivals);
    expect([...sent.keys()].sort()).toEqual(everyId(2000));
    for (const id of heldAtKill) expect(sent.get(id)!.some((a) => a.from === 'other' && a.answered), id).toBe(true);
    for (const [id, copies] of sent) {
      // Sent twice only when the killed dispatcher held it, and then under the same message id.
      if (copies.length > 1) expect(copies.filter((a) => a.from === 'other'), id).toHaveLength(1);
    }
  });
});
