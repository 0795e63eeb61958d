import { ApiError } from '../../../shared/contract';
import type { InboxCreated } from '../../../shared/types';
import type { Db } from '../db/open';
import { getDialect } from '../dialects';
import { checkSecret } from '../outbound/endpoints';
import { DEFAULT_OVERLAP_MS } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import { receiverBaseUrl } from '../store/settings';
import { getInboxRow, inboxUrl, NO_DIALECT } from './inboxes';
import { storeSecrets } from './statements';

/**
 * A new secret for an inbox (given, or made in the dialect's own form), shown once. The one it
 * replaces keeps verifying for the overlap (a day by default; 0 ends it at once), as a package
 * hook's does, so a sender not yet given the new one is still accepted.
 */
export function rotateInboxSecret(db: Db, box: SecretBox, id: string, options: { secret?: string | undefined; overlapMs?: number | undefined } = {}): InboxCreated {
  const row = getInboxRow(db, id);
  if (row.dialect === NO_DIALECT || row.secretSealed === null) {
    throw new ApiError('invalid_params', `Inbox ${id} is of dialect "none": it checks no signature, so it has no secret to rotate.`);
  }
  checkSecret(row.dialect, options.secret);
  const secret = options.secret ?? getDialect(row.dialect).generateSecret();
  const overlapMs = options.overlapMs ?? DEFAULT_OVERLAP_MS;
  const until = overlapMs > 0 ? Date.now() + overlapMs : null;
  storeSecrets(db, id, box.seal(secret), until === null ? null : row.secretSealed, until);
  return { id, url: inboxUrl(receiverBaseUrl(db), id), secret };
}
