import type { PushEvent } from '../../../shared/contract';
import type { Db } from '../db/open';
import type { SecretBox } from '../secrets/secret-box';
import type { Finished } from './dispatch-queue';
import { recordEndpointActivity } from './endpoint-activity';
import { toAttemptView, toMessageView } from './messages';
import { settle } from './settlement';
import type { DispatchStatements } from './statements';

/**
 * Records an attempt and settles its message in SQLite; call inside a transaction. Returns
 * the events to publish once it commits.
 */
export function attemptRecorder(db: Db, box: SecretBox, q: DispatchStatements, now: () => number, delayScale = 1) {
  return function record(finished: Finished): PushEvent[] {
    const { endpoint, message } = finished;
    const finishedAt = now();
    const s = settle(box, finished, finishedAt, delayScale);
    // Removed while this send was out, or its claim ran out and was taken back: nothing to record.
    if (q.settle({ id: message.id, claimedUntil: message.claimedUntil, ...s.message }) === 0) return [];
    const id = q.insertAttempt(s.attempt);
    const disabled = s.disable !== null && q.disable(endpoint.id, s.disable, finishedAt).changes > 0;
    q.countFailure(endpoint.id, s.ok);
    return [
      ...(disabled ? [{ type: 'activity', entry: recordEndpointActivity(db, 'endpoint_auto_disabled', `Endpoint ${endpoint.name} disabled automatically: ${s.disable}`, finishedAt) } as const] : []),
      { type: 'attempt', attempt: toAttemptView({ id, ...s.attempt }, message.messageId, message.event) },
      { type: 'message', message: toMessageView({ ...message, ...s.message }) },
    ] satisfies PushEvent[];
  };
}
