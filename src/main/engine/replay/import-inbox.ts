import { and, eq, inArray, isNull, ne } from 'drizzle-orm';
import type { Db } from '../db/open';
import { deliveries, inboxes } from '../db/schema';

type DeliveryRow = typeof deliveries.$inferSelect;

/** An imported request that an inbox captured: which inbox, and its method and path. */
export interface ImportedCapture {
  /** Null for a capture the file names no inbox for (one whose inbox was gone where it was exported). */
  inboxId: string | null;
  method: string;
  /** After the inbox address, query included, exactly as captured. */
  path: string;
}

/** `…/in/in_abc/rest?query` as exported: read from the URL's text, so the path comes back byte for byte. */
const INBOX_IN_URL = /^[a-z][a-z0-9+.-]*:\/\/[^/?#]*(?:\/[^?#]*?)??\/in\/(in_[A-Za-z0-9_-]{1,124})((?:[/?].*)?)$/is;

/** The inbox a HAR entry's URL names, if it names one. */
export function captureOfUrl(method: string, url: string): ImportedCapture | null {
  const found = INBOX_IN_URL.exec(url);
  return found ? { inboxId: found[1]!, method, path: found[2] ?? '' } : null;
}

/** Rows an import wrote for each inbox, until the import ends and they move there. */
const pending = new Map<string, Map<string, number[]>>();

export function noteCapture(marker: string, inboxId: string, rowId: number): void {
  let byInbox = pending.get(marker);
  if (!byInbox) pending.set(marker, (byInbox = new Map()));
  let ids = byInbox.get(inboxId);
  if (!ids) byInbox.set(inboxId, (ids = []));
  ids.push(rowId);
}

export const forgetCaptures = (marker: string) => void pending.delete(marker);

/** The rows an import wrote for each inbox, handed over once (the import is ending). */
export function takeCaptures(marker: string): Map<string, number[]> | undefined {
  const byInbox = pending.get(marker);
  pending.delete(marker);
  return byInbox;
}

/** An imported row that an inbox of this name captured, as it joins that inbox; `firstId` is the inbox's own copy of its provider delivery id, if any. */
export function adoptedCapture(
  inboxId: string,
  inboxName: string,
  row: { duplicateOf: number | null },
  firstId: number | null,
  label: string,
): Pick<DeliveryRow, 'hookId' | 'duplicateOf' | 'outcome' | 'outcomeReason'> {
  const duplicateOf = firstId ?? row.duplicateOf;
  const reason = `Imported from ${label} into inbox ${inboxName}; not verified here (replay it into the inbox to check its signature).`;
  return {
    hookId: inboxId,
    duplicateOf,
    outcome: duplicateOf === null ? 'captured' : 'duplicate',
    outcomeReason: duplicateOf === null ? reason : `${reason} A repeat of #${duplicateOf}.`,
  };
}

/** Whether the inbox's own copy of the row's provider delivery id is looked for: only a first copy can be a repeat of one. */
export const looksForFirstCopy = (row: { providerDeliveryId: string | null; duplicateOf: number | null }): row is { providerDeliveryId: string; duplicateOf: null } =>
  row.duplicateOf === null && row.providerDeliveryId !== null;

/**
 * Once an import has written everything, its captures of an inbox that exists here join that
 * inbox (one transaction, so a failed import never leaves some behind): listed with its
 * captures, and a repeat of a capture it already holds is marked as one. Captures of an
 * inbox that is gone stay imported rows, their method and path kept.
 */
export function adoptCaptures(db: Db, marker: string, label: string): number {
  const byInbox = takeCaptures(marker);
  if (!byInbox) return 0;
  let adopted = 0;
  db.transaction((tx) => {
    for (const [inboxId, ids] of byInbox) {
      const inbox = tx.select({ name: inboxes.name }).from(inboxes).where(eq(inboxes.id, inboxId)).get();
      if (!inbox) continue;
      for (let i = 0; i < ids.length; i += 500) {
        const rows = tx
          .select({ id: deliveries.id, providerDeliveryId: deliveries.providerDeliveryId, duplicateOf: deliveries.duplicateOf })
          .from(deliveries)
          .where(inArray(deliveries.id, ids.slice(i, i + 500)))
          .all();
        for (const row of rows) {
          const first = looksForFirstCopy(row)
            ? tx
                .select({ id: deliveries.id })
                .from(deliveries)
                .where(and(eq(deliveries.hookId, inboxId), eq(deliveries.providerDeliveryId, row.providerDeliveryId), isNull(deliveries.duplicateOf), ne(deliveries.outcome, 'rejected')))
                .get()
            : undefined;
          tx.update(deliveries)
            .set(adoptedCapture(inboxId, inbox.name, row, first?.id ?? null, label))
            .where(eq(deliveries.id, row.id))
            .run();
          adopted++;
        }
      }
    }
  });
  return adopted;
}
