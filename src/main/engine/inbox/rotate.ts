import type { InboxCreated } from '../../../shared/types';
import type { Db } from '../db/open';
import type { SecretBox } from '../secrets/secret-box';
import { receiverBaseUrl } from '../store/settings';
import { inboxCreated, rotatedInboxSecrets, type RotateOptions } from './inbox-decisions';
import { getInboxRow } from './inboxes';
import { storeSecrets } from './statements';

/** A new secret for an inbox, shown once; the one it replaces verifies for the overlap (see rotatedInboxSecrets). */
export function rotateInboxSecret(db: Db, box: SecretBox, id: string, options: RotateOptions = {}): InboxCreated {
  const rotated = rotatedInboxSecrets(getInboxRow(db, id), box, options, Date.now());
  storeSecrets(db, id, rotated.sealed, rotated.previousSealed, rotated.until);
  return inboxCreated(id, receiverBaseUrl(db), rotated.secret);
}
