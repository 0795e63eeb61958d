import type { PushEvent } from '../../../shared/contract';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import type { SecretBox } from '../secrets/secret-box';
import type { ApiClient } from './http';
import type { ProviderStore } from './provider-store';

/** What provider work needs from the engine. */
export interface ProviderContext {
  store: ProviderStore;
  box: SecretBox;
  client: ApiClient;
  now: () => number;
  publish: (event: PushEvent) => void;
  /** Reconciled tags enter as deliveries, through the same writer the receiver uses. */
  writer: Pick<DeliveryWriter, 'write'>;
  /** Resolves once nothing is left pending for ingest in this process. */
  ingestIdle: () => Promise<void>;
  /** How long catch-up waits for GitHub's redeliveries to arrive before reconciling tags. */
  redeliveryWaitMs: number;
  /** How often a wait on another process (a running serve) looks at the database. */
  pollMs: number;
  /** Aborted when the engine closes: waits end at once. */
  signal: AbortSignal;
}
