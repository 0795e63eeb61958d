import { eq } from 'drizzle-orm';
import { ApiError } from '../../../shared/contract';
import { isHiddenHeader } from '../../../shared/secret-headers';
import type { ActivityEntry, RevealedHeader } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { deliveries } from '../db/schema';
import { openHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { recordActivity } from '../store/activity';
import { loadCaptured, parseRef } from './captured';

const VIA = { ui: 'in the app', cli: 'from the CLI', api: 'through the API' } as const;

/**
 * The value of one credential header of a stored request, opened for a person who asked
 * for it; the reveal itself goes into the activity feed (what, which request, how, when).
 */
export function revealHeader(
  db: Queryable,
  box: SecretBox,
  request: { ref: string; header: string; via: keyof typeof VIA },
): { revealed: RevealedHeader; entry: ActivityEntry | null } {
  const captured = loadCaptured(db, request.ref);
  const wanted = request.header.toLowerCase();
  const pairs = captured.headers.filter(([name]) => name.toLowerCase() === wanted);
  if (pairs.length === 0) throw new ApiError('not_found', `${captured.ref} has no ${request.header} header.`);
  const header = pairs[0]![0];
  const revealed = { ref: captured.ref, header, values: openHeaders(box, pairs).map(([, value]) => value) };
  // A header shown in clear anyway reveals nothing: no entry.
  if (!pairs.some(isHiddenHeader)) return { revealed, entry: null };
  const { kind, id } = parseRef(captured.ref);
  const packageId = kind === 'delivery' ? (db.select({ packageId: deliveries.packageId }).from(deliveries).where(eq(deliveries.id, id)).get()?.packageId ?? null) : null;
  const entry = recordActivity(db, {
    kind: 'secret_revealed',
    packageId,
    deliveryId: kind === 'delivery' ? id : null,
    message: `Secret header ${header} of ${kind} #${id} revealed ${VIA[request.via]}.`,
  });
  return { revealed, entry };
}
