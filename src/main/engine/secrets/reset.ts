import type { SecretsReset } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { recordActivity } from '../store/activity';
import { receiverBaseUrl } from '../store/settings';
import { runOps } from '../store/steps';
import { createKeyFileBox, keyFilePath } from './key-file-box';
import { resetSteps, type ResetOps } from './reset-steps';
import type { SecretBox } from './secret-box';
import {
  dropPreviousEndpointSecret,
  dropPreviousHookSecret,
  dropPreviousInboxSecret,
  endpointOwner,
  hookOwner,
  inboxOwner,
  listSealed,
  removeConnectionRow,
  replaceEndpointSecret,
  replaceHookSecret,
  replaceInboxSecret,
} from './statements';

const dropPrevious = { hook: dropPreviousHookSecret, endpoint: dropPreviousEndpointSecret, inbox: dropPreviousInboxSecret };

/** The reset's reads and writes on a data dir, answered at once inside its transaction. */
function sqliteResetOps(tx: Queryable): ResetOps {
  return {
    listSealed: () => listSealed(tx),
    hookOwner: (id) => hookOwner(tx, id),
    endpointOwner: (id) => endpointOwner(tx, id),
    inboxOwner: (id) => inboxOwner(tx, id),
    replaceHookSecret: (id, sealed, reason) => replaceHookSecret(tx, id, sealed, reason),
    replaceEndpointSecret: (id, sealed) => replaceEndpointSecret(tx, id, sealed),
    replaceInboxSecret: (id, sealed) => replaceInboxSecret(tx, id, sealed),
    dropPrevious: (owner, id) => dropPrevious[owner](tx, id),
    removeConnection: (id) => removeConnectionRow(tx, id),
    recordActivity: (entry) => void recordActivity(tx, entry),
  };
}

/** After a lost key file: resetSteps on the data dir, new secrets sealed with `box`. */
export function resetSecrets(db: Db, box: SecretBox, dataDir: string): SecretsReset {
  const input = { keys: createKeyFileBox(dataDir), box, keyName: keyFilePath(dataDir), baseUrl: receiverBaseUrl(db) };
  return db.transaction((tx) => runOps(resetSteps(input), sqliteResetOps(tx)), { behavior: 'immediate' });
}
