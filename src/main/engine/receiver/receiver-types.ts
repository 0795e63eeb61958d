import type { DeliverySource } from '../../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import type { AccessPolicy } from './access';
import type { DeliveryWriter } from './delivery-writer';
import type { DiskGuard } from './disk-guard';
import type { HeaderList } from './headers';
import type { InboxRouteOptions } from './inbox-route';
import type { ReceiverLimits } from './limits';

export interface ReceiverOptions {
  /**
   * `fresh` skips any cache: used before refusing a signature. A lookup answered from a cache
   * kept in step with a database other instances write to (a team server) also reads one row
   * now through its `fresh` method, for an id the cache does not have yet.
   */
  lookupHook: ((hookId: string, fresh?: boolean) => ReceiverHook | undefined) & { fresh?: (hookId: string) => Promise<ReceiverHook | undefined> };
  box: SecretBox;
  writer: DeliveryWriter;
  bodyLimit?: number;
  now?: () => number;
  /** Direct mode: who may call, and which proxies' X-Forwarded-For to believe. */
  access?: () => AccessPolicy;
  /** Connections, timeouts and refusals; unset ones take the defaults. */
  limits?: Partial<ReceiverLimits>;
  /** Inboxes: without it, /in/… is not a route. */
  lookupInbox?: InboxRouteOptions['lookupInbox'];
  /** Inboxes: answers a capture with its pass-back forward target's answer, when it has one. */
  passBack?: InboxRouteOptions['passBack'];
  /** Told, now and then, how many requests were answered 429 and from where (for the activity feed). */
  onThrottled?: (message: string) => void;
  /** While the disk is full (or under its floor), deliveries are answered 503 unread (see disk-guard.ts). */
  disk?: DiskGuard;
}

export interface ReceiverListenOptions {
  host?: string;
  port?: number;
}

export interface InboundRequest {
  hookId: string;
  source: DeliverySource;
  replayOf?: string | null;
  remoteAddress: string | null;
  headers: HeaderList;
  body: Buffer;
  /** The body's full length when `body` holds only its first bytes. */
  bodySize?: number;
}

export interface InboundAnswer {
  status: number;
  body: Record<string, unknown>;
  /** Refused because the signature did not verify: counts toward the sender's refusals. */
  unverified?: boolean;
}
