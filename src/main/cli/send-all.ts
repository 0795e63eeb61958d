import { between } from 'drizzle-orm';
import type { Engine } from '../engine';
import { attempts } from '../engine/db/schema';

/**
 * Sends queued messages of one endpoint from this process, beside a running serve if there
 * is one: whichever process claims a message sends it, and this one waits until each has a
 * recorded attempt, seen as an event when sent here or in the database when sent there.
 */
export async function sendAll(engine: Engine, endpointId: string, rowIds: number[]): Promise<void> {
  const waiting = new Set(rowIds);
  if (waiting.size === 0) return;
  let finish!: () => void;
  const done = new Promise<void>((resolve) => {
    finish = resolve;
  });
  const settle = (rowId: number) => {
    if (waiting.delete(rowId) && waiting.size === 0) finish();
  };
  const off = engine.bus.subscribe((event) => {
    if (event.type === 'attempt') settle(event.attempt.messageRowId);
  });
  const elsewhere = setInterval(() => {
    const ids = [...waiting];
    const recorded = engine.db
      .selectDistinct({ rowId: attempts.messageRowId })
      .from(attempts)
      .where(between(attempts.messageRowId, Math.min(...ids), Math.max(...ids)))
      .all();
    for (const { rowId } of recorded) settle(rowId);
  }, 250);
  try {
    await engine.dispatcher.start({ recover: false, endpointId });
    await done;
  } finally {
    clearInterval(elsewhere);
    off();
    await engine.dispatcher.stop();
  }
}
