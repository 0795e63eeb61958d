import type pg from 'pg';
import { Gauge, Histogram, Registry } from 'prom-client';
import type { PushEvent } from '../../../shared/contract';
import type { TunnelState } from '../../../shared/provider-types';
import type { OpsStore } from './statements';

const TUNNEL_STATES: TunnelState[] = ['disconnected', 'connecting', 'connected', 'reconnecting', 'stalled'];

export interface MetricsSources {
  store: OpsStore;
  subscribe(listener: (event: PushEvent) => void): () => void;
  tunnelState(): TunnelState;
  now?: () => number;
  /** The PostgreSQL pool the engine runs on, when it runs on one: its usage is exported too. */
  pool?: Pick<pg.Pool, 'totalCount' | 'idleCount' | 'waitingCount'>;
}

/**
 * Prometheus metrics, in a registry of this engine's own (several engines can share a process
 * in tests). Counts are read from the database at scrape time, so they hold across restarts
 * and include what other processes (the CLI) wrote; attempt latency is observed as sends finish.
 */
export function createMetrics({ store, subscribe, tunnelState, now = Date.now, pool }: MetricsSources) {
  const registry = new Registry();
  new Gauge({
    name: 'hookbench_deliveries',
    help: 'Stored inbound deliveries by outcome.',
    labelNames: ['outcome'],
    registers: [registry],
    async collect() {
      const counts = await store.deliveriesByOutcome();
      this.reset();
      for (const { outcome, n } of counts) this.set({ outcome }, n);
    },
  });
  new Gauge({
    name: 'hookbench_ingest_lag_seconds',
    help: 'How long the oldest delivery still waiting for ingest has waited (0 when none waits).',
    registers: [registry],
    async collect() {
      const oldest = await store.oldestPendingDeliveryAt();
      this.set(oldest === null ? 0 : Math.max(0, (now() - oldest) / 1000));
    },
  });
  new Gauge({
    name: 'hookbench_messages',
    help: 'Outbound messages by state.',
    labelNames: ['state'],
    registers: [registry],
    async collect() {
      const counts = await store.messagesByState();
      this.reset();
      for (const { state, n } of counts) this.set({ state }, n);
    },
  });
  if (pool) {
    new Gauge({
      name: 'hookbench_pool_clients',
      help: 'PostgreSQL connections of this instance: open in all (total), open and unused (idle), and callers waiting for one (waiting).',
      labelNames: ['state'],
      registers: [registry],
      collect() {
        this.set({ state: 'total' }, pool.totalCount);
        this.set({ state: 'idle' }, pool.idleCount);
        this.set({ state: 'waiting' }, pool.waitingCount);
      },
    });
  }
  new Gauge({
    name: 'hookbench_tunnel_state',
    help: 'The smee tunnel: 1 for its current state, 0 for the others.',
    labelNames: ['state'],
    registers: [registry],
    collect() {
      const current = tunnelState();
      for (const state of TUNNEL_STATES) this.set({ state }, state === current ? 1 : 0);
    },
  });
  const latency = new Histogram({
    name: 'hookbench_attempt_duration_seconds',
    help: 'Outbound send attempts by how long they took, by result.',
    labelNames: ['result'],
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const off = subscribe((event) => {
    if (event.type !== 'attempt' || event.attempt.durationMs === null) return;
    latency.observe({ result: event.attempt.succeeded ? 'succeeded' : 'failed' }, event.attempt.durationMs / 1000);
  });

  return {
    contentType: registry.contentType,
    text: () => registry.metrics(),
    stop: off,
  };
}

export type Metrics = ReturnType<typeof createMetrics>;
