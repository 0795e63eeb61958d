import { eq } from 'drizzle-orm';
import type { DeliveryDetail, Provider } from '../../../shared/types';
import type { Db } from '../db/open';
import { endpoints, hooks, inboxes, packages } from '../db/schema';
import { signingTokenFor } from '../ids';
import type { SecretBox } from '../secrets/secret-box';
import { previousSecretAccepted } from '../secrets/rotation';
import type { KnownSecret } from '../signature/elsewhere';

/** The secrets a stored delivery is diagnosed with: its own hook's first, then everything else Hookbench holds. */
export interface DeliverySecrets {
  /** The dialect the delivery is checked in: its package's provider, or its inbox's dialect. */
  provider: string | null;
  secrets: string[];
  labels: string[];
  /** How many of `secrets` the receiver accepted when the delivery came. */
  accepted: number;
  elsewhere: KnownSecret[];
  /** An inbox's own timestamp tolerance, when it set one. */
  toleranceSeconds?: number;
}

type Labelled = [secret: string, label: string];

const when = (ms: number) => new Date(ms).toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/** The secret a rotation replaced, named for whether it was still accepted when the delivery came. */
function previousLabel(owner: 'hook' | 'inbox', previous: string, until: number | null, receivedAt: number): { inOverlap: boolean; label: string } {
  const inOverlap = previousSecretAccepted({ previousSecretSealed: previous, previousSecretExpiresAt: until }, receivedAt);
  const label = inOverlap
    ? `this ${owner}\u2019s previous secret (still accepted during the rotation${until ? `, until ${when(until)}` : ''})`
    : `this ${owner}\u2019s previous secret (no longer accepted after ${when(until!)})`;
  return { inOverlap, label };
}

/**
 * Its hook's secret (and GitLab signing token, the one this request used first), the secret a
 * rotation replaced when the delivery came within its overlap, then the secrets of every other
 * package and endpoint, its own provider's packages first.
 */
export function deliverySecrets(db: Db, box: SecretBox, delivery: DeliveryDetail): DeliverySecrets {
  return secretsForDelivery(sqliteSecretRows(db), box, delivery);
}

/** Every sealed secret Hookbench holds, as deliverySecrets reads them (a PostgreSQL store reads the same). */
export interface SecretRows {
  hooks: { hookId: string; name: string; repo: string; provider: Provider; secret: string; previous: string | null; previousUntil: number | null }[];
  inboxes: { id: string; name: string; dialect: string; secret: string | null; tolerance: number | null; previous: string | null; previousUntil: number | null }[];
  endpoints: { name: string; secret: string }[];
}

export function sqliteSecretRows(db: Db): SecretRows {
  return {
    hooks: db
      .select({ hookId: hooks.id, name: packages.name, repo: packages.repoFullName, provider: packages.provider, secret: hooks.secretSealed, previous: hooks.previousSecretSealed, previousUntil: hooks.previousSecretExpiresAt })
      .from(hooks)
      .innerJoin(packages, eq(packages.id, hooks.packageId))
      .all(),
    inboxes: db
      .select({ id: inboxes.id, name: inboxes.name, dialect: inboxes.dialect, secret: inboxes.secretSealed, tolerance: inboxes.toleranceSeconds, previous: inboxes.previousSecretSealed, previousUntil: inboxes.previousSecretExpiresAt })
      .from(inboxes)
      .all(),
    endpoints: db.select({ name: endpoints.name, secret: endpoints.secretSealed }).from(endpoints).all(),
  };
}

/** deliverySecrets over rows already read, on either store. */
export function secretsForDelivery(secretRows: SecretRows, box: SecretBox, delivery: DeliveryDetail): DeliverySecrets {
  const rows = secretRows.hooks;
  const own = rows.find((r) => r.hookId === delivery.hookId);
  const signed = delivery.headers.some(([name]) => name.toLowerCase() === 'webhook-signature');
  const current: Labelled[] = [];
  const replaced: Labelled[] = [];
  const withToken = (list: Labelled[], secret: string, name: string, provider: Provider) => {
    if (provider !== 'gitlab') return void list.push([secret, name]);
    // GitLab's signing token signs; its plain token is compared. Check first what this request used.
    const token: Labelled = [signingTokenFor(secret), name.replace('secret', 'signing token')];
    list.push(...(signed ? [token, [secret, name] as Labelled] : [[secret, name] as Labelled, token]));
  };
  let accepted = 0;
  if (own) {
    withToken(current, box.open(own.secret), 'this hook\u2019s secret', own.provider);
    if (own.previous) {
      const { inOverlap, label } = previousLabel('hook', own.previous, own.previousUntil, delivery.receivedAt);
      withToken(inOverlap ? current : replaced, box.open(own.previous), label, own.provider);
    }
    accepted = current.length;
  }
  const inboxRows = secretRows.inboxes;
  const ownInbox = own ? undefined : inboxRows.find((r) => r.id === delivery.hookId);
  if (ownInbox?.secret) {
    current.push([box.open(ownInbox.secret), 'this inbox\u2019s secret']);
    if (ownInbox.previous) {
      const { inOverlap, label } = previousLabel('inbox', ownInbox.previous, ownInbox.previousUntil, delivery.receivedAt);
      (inOverlap ? current : replaced).push([box.open(ownInbox.previous), label]);
    }
    accepted = current.length;
  }
  const mine = [...current, ...replaced];

  const elsewhere: KnownSecret[] = [];
  const others = rows.filter((r) => r.hookId !== delivery.hookId).sort((a, b) => Number(b.provider === own?.provider) - Number(a.provider === own?.provider));
  for (const other of others) {
    const list: Labelled[] = [];
    withToken(list, box.open(other.secret), `the secret of package "${other.name}"${other.name === other.repo ? '' : ` (${other.repo})`}`, other.provider);
    for (const [secret, label] of list) elsewhere.push({ secret, label });
  }
  for (const ep of secretRows.endpoints) {
    elsewhere.push({ secret: box.open(ep.secret), label: `the secret of endpoint "${ep.name}"` });
  }
  for (const inbox of inboxRows) {
    if (inbox.secret && inbox !== ownInbox) elsewhere.push({ secret: box.open(inbox.secret), label: `the secret of inbox "${inbox.name}"` });
  }
  const inboxDialect = ownInbox && ownInbox.dialect !== 'none' ? ownInbox.dialect : null;
  // A secret shared with another package, endpoint or inbox is still this delivery's own: blaming "the other one" would be wrong.
  const notMine = elsewhere.filter((known) => !mine.some(([secret]) => secret === known.secret));
  const tolerance = ownInbox?.tolerance != null ? { toleranceSeconds: ownInbox.tolerance } : {};
  return { provider: own?.provider ?? inboxDialect, secrets: mine.map(([s]) => s), labels: mine.map(([, l]) => l), accepted: Math.max(1, accepted), elsewhere: notMine, ...tolerance };
}
