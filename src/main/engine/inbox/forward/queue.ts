import type { deliveries } from '../../db/schema';
import { captureEventOf } from '../capture-event';
import type { ForwardStatements } from './statements';

type DeliveryRow = typeof deliveries.$inferSelect;

/**
 * Queues a capture for each of its inbox's targets that takes its event; called inside the
 * capture's own commit, so an acknowledged capture is never left unforwarded. Returns how many.
 */
export function queueForwards(q: Pick<ForwardStatements, 'targetsOf' | 'queue'>, row: DeliveryRow): number {
  // Refused requests (too large, not allowed) are kept only in part: nothing to pass on.
  if (row.packageId !== null || row.outcome === 'rejected') return 0;
  const targets = q.targetsOf({ inboxId: row.hookId });
  if (targets.length === 0) return 0;
  let event: string | null | undefined;
  let queued = 0;
  for (const target of targets) {
    const events = JSON.parse(target.events) as string[];
    if (events.length > 0) {
      event ??= row.event ?? captureEventOf(JSON.parse(row.headers) as [string, string][], row.body);
      if (event === null || !events.includes(event)) continue;
    }
    q.queue({
      deliveryId: row.id,
      inboxId: row.hookId,
      targetUrl: target.url,
      passBack: target.passBack,
      state: 'pending',
      attempts: 0,
      nextAttemptAt: row.receivedAt,
      createdAt: row.receivedAt,
      updatedAt: row.receivedAt,
    });
    queued++;
  }
  return queued;
}
