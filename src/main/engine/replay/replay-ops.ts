import type { ReceiverInbox } from '../inbox/lookup';
import { askOp, type Steps } from '../store/steps';
import type { ReceiverHook } from '../store/packages';
import type { CapturedOps } from './captured-ops';

/** What a replay into an inbox needs of it: where it goes and how it would be signed. */
export type InboxTarget = Pick<ReceiverInbox, 'id' | 'name' | 'dialect' | 'secretSealed'>;

/** A release as a replayed tag push would find it. */
export interface TaggedRelease {
  id: number;
  status: string;
  version: string;
}

/**
 * What preparing a replay (and saying what it will set off) asks of the store, beside the
 * captured request itself. Written once as steps (replay.ts, replay-effect.ts); SQLite answers
 * at once (sqlite-replay-ops.ts), PostgreSQL over the network (pg-replay-ops.ts).
 */
export interface ReplayOps extends CapturedOps {
  hookById(hookId: string): ReceiverHook | undefined;
  hookIdOfPackage(packageId: string): string | undefined;
  inboxById(inboxId: string): InboxTarget | undefined;
  packageName(packageId: string): string | undefined;
  /** The first delivery (not a duplicate, not refused) a hook took with this provider delivery id. */
  firstDeliveryId(hookId: string, providerDeliveryId: string): number | undefined;
  /** The subscribed events (JSON arrays) of every active endpoint. */
  activeEndpointEvents(): string[];
  /** How many active endpoints relay this package's deliveries. */
  activeRelays(packageId: string): number;
  releaseByTag(packageId: string, tag: string): TaggedRelease | undefined;
  publishedReleases(packageId: string): { tag: string; version: string }[];
}

export type ReplaySteps<R> = Steps<ReplayOps, R>;

export const askReplay = <K extends keyof ReplayOps>(name: K, ...args: Parameters<ReplayOps[K]>) => askOp<ReplayOps, K>(name, ...args);
