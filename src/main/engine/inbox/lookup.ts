import { eq, sql } from 'drizzle-orm';
import type { InboxAnswer } from '../../../shared/inbox-types';
import type { Db } from '../db/open';
import { inboxes } from '../db/schema';
import { storedAnswer } from './answer-rules';
import { arrivalsSoFar } from './statements';

export interface ReceiverInbox {
  id: string;
  name: string;
  dialect: string;
  secretSealed: string | null;
  toleranceSeconds: number | null;
  /** The secret a rotation replaced, and until when it still verifies. */
  previousSecretSealed: string | null;
  previousSecretExpiresAt: number | null;
  answer: InboxAnswer;
  /** How many captures of this event the inbox already holds: "fail the first N" counts on it. */
  arrivalsSoFar: (eventId: string) => number;
}

/**
 * Read on every request (one primary-key lookup), so an inbox added or removed by the CLI
 * takes effect at once in a running serve.
 */
export function inboxLookup(db: Db): (inboxId: string) => ReceiverInbox | undefined {
  const query = db
    .select({
      id: inboxes.id,
      name: inboxes.name,
      dialect: inboxes.dialect,
      secretSealed: inboxes.secretSealed,
      toleranceSeconds: inboxes.toleranceSeconds,
      previousSecretSealed: inboxes.previousSecretSealed,
      previousSecretExpiresAt: inboxes.previousSecretExpiresAt,
      answer: inboxes.answer,
    })
    .from(inboxes)
    .where(eq(inboxes.id, sql.placeholder('id')))
    .prepare();
  return (id) => {
    const row = query.get({ id });
    return row && { ...row, answer: storedAnswer(row.answer), arrivalsSoFar: (eventId) => arrivalsSoFar(db, id, eventId) };
  };
}
