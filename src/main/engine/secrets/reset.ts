import type { SecretsReset } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { getDialect } from '../dialects';
import { newHookSecret, signingTokenFor } from '../ids';
import { recordActivity } from '../store/activity';
import { hookUrl, receiverBaseUrl } from '../store/settings';
import { unopenedSecrets } from './key-check';
import { keyFilePath } from './key-file-box';
import type { SecretBox } from './secret-box';
import { inboxUrl } from '../inbox/inboxes';
import {
  dropPreviousEndpointSecret,
  dropPreviousHookSecret,
  dropPreviousInboxSecret,
  endpointOwner,
  hookOwner,
  inboxOwner,
  removeConnectionRow,
  replaceEndpointSecret,
  replaceHookSecret,
  replaceInboxSecret,
  type SealedValue,
} from './statements';

const dropPrevious: Record<Exclude<SealedValue['owner'], 'connection'>, (db: Queryable, id: string) => void> = {
  hook: dropPreviousHookSecret,
  endpoint: dropPreviousEndpointSecret,
  inbox: dropPreviousInboxSecret,
};

/**
 * After a lost key: every hook, endpoint and inbox whose secret the key file no longer opens gets a
 * new one (sealed with `box`, shown once in the result), a rotation whose old secret is lost
 * ends, and connections whose tokens are lost are removed. Secrets that still open are kept.
 */
export function resetSecrets(db: Db, box: SecretBox, dataDir: string): SecretsReset {
  const keyFile = keyFilePath(dataDir);
  const base = receiverBaseUrl(db);
  return db.transaction(
    (tx) => {
      const unopened = unopenedSecrets(tx, dataDir);
      const replaced = new Set(unopened.filter((v) => v.field === 'secret').map((v) => `${v.owner}:${v.id}`));
      const result: SecretsReset = { keyFile, hooks: [], endpoints: [], inboxes: [], previousDropped: 0, removedConnections: [] };
      for (const value of unopened) {
        if (value.field === 'previous' && value.owner !== 'connection') {
          if (replaced.has(`${value.owner}:${value.id}`)) continue;
          dropPrevious[value.owner](tx, value.id);
          result.previousDropped++;
        } else if (value.owner === 'hook') {
          const owner = hookOwner(tx, value.id);
          if (!owner) continue;
          const managed = owner.providerHookId !== null && owner.connectionId !== null;
          const secret = newHookSecret();
          const next = managed
            ? `Secret reset after the key file was lost: run "hookbench package rotate ${owner.packageId}" to give the hook on ${owner.repo} the new secret.`
            : `Secret reset after the key file was lost: paste the new secret into ${owner.repo}'s webhook settings; a ping or first delivery will confirm it.`;
          replaceHookSecret(tx, value.id, box.seal(secret), next);
          result.hooks.push({ packageId: owner.packageId, name: owner.name, hookUrl: hookUrl(base, value.id), secret, signingToken: signingTokenFor(secret), managedUpstream: managed });
          recordActivity(tx, { kind: 'secrets_reset', packageId: owner.packageId, message: `Hook secret of ${owner.name} reset: the key file ${keyFile} did not open it. ${next}` });
        } else if (value.owner === 'endpoint') {
          const owner = endpointOwner(tx, value.id);
          if (!owner) continue;
          const secret = getDialect(owner.dialect).generateSecret();
          replaceEndpointSecret(tx, value.id, box.seal(secret));
          result.endpoints.push({ id: owner.id, name: owner.name, secret });
        } else if (value.owner === 'inbox') {
          const owner = inboxOwner(tx, value.id);
          if (!owner) continue;
          const secret = getDialect(owner.dialect).generateSecret();
          replaceInboxSecret(tx, value.id, box.seal(secret));
          result.inboxes.push({ id: owner.id, name: owner.name, url: inboxUrl(base, owner.id), secret });
        } else {
          result.removedConnections.push({ id: value.id, detachedPackages: removeConnectionRow(tx, value.id) });
        }
      }
      if (unopened.length > 0) {
        const parts = [
          `${result.hooks.length} package hook(s), ${result.endpoints.length} endpoint(s) and ${result.inboxes.length} inbox(es) got new secrets`,
          ...(result.previousDropped ? [`${result.previousDropped} rotation(s) ended early`] : []),
          ...(result.removedConnections.length ? [`connection(s) ${result.removedConnections.map((c) => c.id).join(', ')} removed (add them again with their tokens)`] : []),
        ];
        recordActivity(tx, { kind: 'secrets_reset', message: `Secrets reset: the key file ${keyFile} did not open ${unopened.length} sealed secret(s); ${parts.join('; ')}.` });
      }
      return result;
    },
    { behavior: 'immediate' },
  );
}
