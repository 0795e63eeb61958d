import type { PushEvent } from '../../../shared/contract';
import type { ActivityEntry, ActivityKind, DeliveryOutcome, DeliverySummary } from '../../../shared/types';
import type { NewActivity } from '../store/activity';
import type { DeliveryRow } from './delivery-rows';
import { provesHook, type HookVerified } from './hook-proof';

/** What a store tells the plan about the hooks and packages of the batch it is committing. */
export interface BatchFacts {
  /** The hook has not been verified yet (or was unregistered since). */
  hookNeedsProof(hookId: string): boolean;
  /** An active endpoint relays this package's deliveries. */
  packageRelays(packageId: string): boolean;
}

/** What storing one delivery entails beside its row, in the order a store applies it. */
export interface RowEffects {
  verifyHook: HookVerified | null;
  /** The feed entry saying the hook is set up, when a delivery other than a ping proved it. */
  proof: NewActivity | null;
  relay: boolean;
  forward: boolean;
  /** The feed entry for the delivery itself. */
  activity: NewActivity | null;
}

const ACTIVITY_FOR: Partial<Record<DeliveryOutcome, ActivityKind>> = {
  rejected: 'rejected',
  duplicate: 'duplicate',
  ping: 'hook_verified',
};

/**
 * The decisions both stores make for each stored row, kept in one place: which hook it
 * verifies, which feed entries it adds and with what words, whether it is relayed or forwarded.
 * One plan per batch: a hook is asked about at most once per batch, a package's relays once.
 */
export function planBatch(facts: BatchFacts, forwarding: boolean): (row: DeliveryRow) => RowEffects {
  const asked = new Set<string>();
  const relays = new Map<string, boolean>();
  const relaysFor = (packageId: string) => {
    let yes = relays.get(packageId);
    if (yes === undefined) relays.set(packageId, (yes = facts.packageRelays(packageId)));
    return yes;
  };

  return (row) => {
    let verifyHook: HookVerified | null = null;
    let proof: NewActivity | null = null;
    const proving = provesHook(row);
    if (row.outcome === 'ping' && proving) {
      verifyHook = { hookId: row.hookId, reason: 'Ping received and verified.', at: row.receivedAt };
      asked.add(row.hookId);
    } else if (row.outcome !== 'ping' && proving && !asked.has(row.hookId)) {
      asked.add(row.hookId);
      if (facts.hookNeedsProof(row.hookId)) {
        const what = row.event ? `"${row.event}" delivery` : 'delivery';
        verifyHook = { hookId: row.hookId, reason: `Verified by the ${what} #${row.id}: its signature matches the hook's secret.`, at: row.receivedAt };
        proof = {
          kind: 'hook_verified',
          packageId: row.packageId,
          deliveryId: row.id,
          at: row.receivedAt,
          message: `Delivery #${row.id} arrived with a valid signature: the hook is set up.`,
        };
      }
    }
    const relay = row.verdict === 'valid' && row.outcome !== 'duplicate' && row.outcome !== 'rejected' && row.packageId !== null && relaysFor(row.packageId);
    // A replayed ping proves nothing about the hook: the replay is in the feed on its own.
    const kind = row.outcome === 'ping' && !proving ? undefined : ACTIVITY_FOR[row.outcome];
    const activity: NewActivity | null = kind
      ? {
          kind,
          packageId: row.packageId,
          deliveryId: row.id,
          at: row.receivedAt,
          message: kind === 'hook_verified' ? 'Ping received: the hook is set up and its signature verifies.' : `Delivery #${row.id}: ${row.outcomeReason ?? row.outcome}`,
        }
      : null;
    return { verifyHook, proof, relay, forward: forwarding && row.packageId === null, activity };
  };
}

/** The push events for one stored row, in the order the window expects them. */
export function rowEvents(summary: DeliverySummary, effects: RowEffects, proofEntry: ActivityEntry | null, entry: ActivityEntry | null): PushEvent[] {
  const events: PushEvent[] = [{ type: 'delivery', delivery: summary }];
  if (proofEntry) events.push({ type: 'activity', entry: proofEntry });
  if (effects.verifyHook) events.push({ type: 'packages' });
  if (entry) events.push({ type: 'activity', entry });
  return events;
}
