import type { SecretsReset } from '../../../shared/types';
import { getDialect } from '../dialects';
import { newHookSecret, signingTokenFor } from '../ids';
import { inboxUrl } from '../inbox/inbox-decisions';
import type { NewActivity } from '../store/activity';
import { hookUrl } from '../store/settings';
import { askOp, type Steps } from '../store/steps';
import { SecretKeyError } from './errors';
import { sealedWithKeyFile } from './key-file-box';
import type { SecretBox } from './secret-box';
import type { SealedValue } from './statements';

interface HookOwner {
  packageId: string;
  name: string;
  repo: string;
  providerHookId: string | null;
  connectionId: string | null;
}

type Owner = Exclude<SealedValue['owner'], 'connection'>;

/** The reads and writes a reset asks of its store, inside one transaction. */
export interface ResetOps {
  listSealed(): SealedValue[];
  hookOwner(hookId: string): HookOwner | undefined;
  endpointOwner(id: string): { id: string; name: string; dialect: string } | undefined;
  inboxOwner(id: string): { id: string; name: string; dialect: string } | undefined;
  replaceHookSecret(hookId: string, sealed: string, statusReason: string): void;
  replaceEndpointSecret(id: string, sealed: string): void;
  replaceInboxSecret(id: string, sealed: string): void;
  dropPrevious(owner: Owner, id: string): void;
  /** Removes a connection; returns the packages that kept their hooks, unmanaged. */
  removeConnection(id: string): string[];
  recordActivity(entry: NewActivity): void;
}

const ask = askOp<ResetOps, keyof ResetOps>;

/** The values sealed with a key (file or shared) that `keys` does not open; values of another store (an OS keychain) are not its to judge. */
export function unopenedBy(values: SealedValue[], keys: SecretBox): SealedValue[] {
  const opens = new Map<string, boolean>();
  return values.filter((value) => {
    if (!sealedWithKeyFile(value.sealed)) return false;
    let ok = opens.get(value.sealed);
    if (ok === undefined) {
      try {
        keys.open(value.sealed);
        ok = true;
      } catch (error) {
        if (!(error instanceof SecretKeyError)) throw error;
        ok = false;
      }
      opens.set(value.sealed, ok);
    }
    return !ok;
  });
}

/** How a key is named in sentences: "the key file PATH", or the variable holding it. */
export const keyLabel = (keyName: string) => (keyName.startsWith('HOOKBENCH_') ? keyName : `the key file ${keyName}`);

export interface ResetInput {
  /** Opens what the key still opens. */
  keys: SecretBox;
  /** Seals the new secrets. */
  box: SecretBox;
  /** The key's name for the report: its file's path, or HOOKBENCH_SECRET_KEY. */
  keyName: string;
  /** Where hooks and inboxes are reached, for their URLs in the report. */
  baseUrl: string;
}

/**
 * After a lost key: every hook, endpoint and inbox whose secret the key no longer opens gets a
 * new one (shown once in the result), a rotation whose old secret is lost ends, and connections
 * whose tokens are lost are removed. Secrets that still open are kept.
 */
export function* resetSteps({ keys, box, keyName, baseUrl }: ResetInput): Steps<ResetOps, SecretsReset> {
  const label = keyLabel(keyName);
  const unopened = unopenedBy((yield* ask('listSealed')) as SealedValue[], keys);
  const replaced = new Set(unopened.filter((v) => v.field === 'secret').map((v) => `${v.owner}:${v.id}`));
  const result: SecretsReset = { keyFile: keyName, hooks: [], endpoints: [], inboxes: [], previousDropped: 0, removedConnections: [] };
  for (const value of unopened) {
    if (value.field === 'previous' && value.owner !== 'connection') {
      if (replaced.has(`${value.owner}:${value.id}`)) continue;
      yield* ask('dropPrevious', value.owner, value.id);
      result.previousDropped++;
    } else if (value.owner === 'hook') {
      const owner = (yield* ask('hookOwner', value.id)) as HookOwner | undefined;
      if (!owner) continue;
      const managed = owner.providerHookId !== null && owner.connectionId !== null;
      const secret = newHookSecret();
      const next = managed
        ? `Secret reset after the key was lost: run "hookbench package rotate ${owner.packageId}" to give the hook on ${owner.repo} the new secret.`
        : `Secret reset after the key was lost: paste the new secret into ${owner.repo}'s webhook settings; a ping or first delivery will confirm it.`;
      yield* ask('replaceHookSecret', value.id, box.seal(secret), next);
      result.hooks.push({ packageId: owner.packageId, name: owner.name, hookUrl: hookUrl(baseUrl, value.id), secret, signingToken: signingTokenFor(secret), managedUpstream: managed });
      yield* ask('recordActivity', { kind: 'secrets_reset', packageId: owner.packageId, message: `Hook secret of ${owner.name} reset: ${label} did not open it. ${next}` });
    } else if (value.owner === 'endpoint') {
      const owner = (yield* ask('endpointOwner', value.id)) as { id: string; name: string; dialect: string } | undefined;
      if (!owner) continue;
      const secret = getDialect(owner.dialect).generateSecret();
      yield* ask('replaceEndpointSecret', value.id, box.seal(secret));
      result.endpoints.push({ id: owner.id, name: owner.name, secret });
    } else if (value.owner === 'inbox') {
      const owner = (yield* ask('inboxOwner', value.id)) as { id: string; name: string; dialect: string } | undefined;
      if (!owner) continue;
      const secret = getDialect(owner.dialect).generateSecret();
      yield* ask('replaceInboxSecret', value.id, box.seal(secret));
      result.inboxes.push({ id: owner.id, name: owner.name, url: inboxUrl(baseUrl, owner.id), secret });
    } else {
      result.removedConnections.push({ id: value.id, detachedPackages: (yield* ask('removeConnection', value.id)) as string[] });
    }
  }
  if (unopened.length > 0) {
    const parts = [
      `${result.hooks.length} package hook(s), ${result.endpoints.length} endpoint(s) and ${result.inboxes.length} inbox(es) got new secrets`,
      ...(result.previousDropped ? [`${result.previousDropped} rotation(s) ended early`] : []),
      ...(result.removedConnections.length ? [`connection(s) ${result.removedConnections.map((c) => c.id).join(', ')} removed (add them again with their tokens)`] : []),
    ];
    yield* ask('recordActivity', { kind: 'secrets_reset', message: `Secrets reset: ${label} did not open ${unopened.length} sealed secret(s); ${parts.join('; ')}.` });
  }
  return result;
}
