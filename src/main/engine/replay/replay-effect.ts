/**
 * What a replay into this Hookbench will set off, said before it is sent: a replayed tag
 * push is ingested like any other, so it can publish a release and send it to every
 * endpoint. Worked out with the receiver's and ingest's own rules, on what is stored now.
 */
import semver from 'semver';
import type { EngineEvent, ReplayEffect } from '../../../shared/types';
import { signingTokenFor } from '../ids';
import { blocks, contextFromPublished, runChecks } from '../ingest/checks';
import { parseTag } from '../ingest/parse-tag';
import { classify } from '../receiver/classify';
import { previousSecretAccepted } from '../secrets/rotation';
import type { HeaderList } from '../receiver/headers';
import { decodePayload, providerDeliveryIdOf, readTagPush } from '../receiver/payload';
import { verifyDelivery } from '../receiver/verify';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import { askReplay as ask, type ReplaySteps } from './replay-ops';

const plural = (n: number, one: string) => `${n} ${one}${n === 1 ? '' : 's'}`;

function* subscribers(event: EngineEvent): ReplaySteps<number> {
  return (yield* ask('activeEndpointEvents')).filter((events) => (JSON.parse(events) as string[]).includes(event)).length;
}

function verifies(box: SecretBox, hook: ReceiverHook, headers: HeaderList, body: Buffer, now: number): { ok: boolean; reason: string } {
  const secrets = [hook.secretSealed, ...(hook.previousSecretSealed && previousSecretAccepted(hook, now) ? [hook.previousSecretSealed] : [])];
  let reason = '';
  for (const sealed of secrets) {
    const secret = box.open(sealed);
    const check = verifyDelivery(hook.provider, headers, body, { secret, signingToken: signingTokenFor(secret) }, now);
    if (check.ok) return { ok: true, reason: '' };
    reason ||= check.detail.reason;
  }
  return { ok: false, reason };
}

type Consequence = Pick<ReplayEffect, 'outcome' | 'event' | 'endpoints'> & { says: string };

/** What ingest will do with this tag push, judged as it would judge it now. */
function* tagPushConsequence(hook: ReceiverHook, contentType: string | undefined, body: Buffer): ReplaySteps<Consequence> {
  const decoded = decodePayload(contentType, body);
  const push = decoded.ok ? readTagPush(hook.provider, decoded.payload) : null;
  if (!push) return { outcome: 'skipped', event: null, endpoints: 0, says: 'it is skipped: the body is not a tag push' };
  const existing = yield* ask('releaseByTag', hook.packageId, push.tag);
  const sent = function* (event: EngineEvent, what: string): ReplaySteps<Consequence> {
    const n = yield* subscribers(event);
    return { outcome: event === 'release.published' ? 'publishes' : event === 'release.tag_deleted' ? 'tag_deleted' : 'checks_failed', event, endpoints: n, says: `${what} and sends ${event} to ${plural(n, 'active endpoint')}` };
  };
  if (push.deleted) {
    return existing && existing.status !== 'tag_deleted'
      ? yield* sent('release.tag_deleted', `the deletion of tag ${push.tag} marks release ${existing.version} tag-deleted`)
      : { outcome: 'tag_deleted', event: null, endpoints: 0, says: `the deletion of tag ${push.tag} is recorded; no release has that tag, so nothing is sent` };
  }
  const parsed = parseTag(push.tag);
  if (!parsed.ok) return { outcome: 'skipped', event: null, endpoints: 0, says: `tag ${push.tag} is skipped: it is not a semver version` };
  if (existing && existing.status !== 'tag_deleted') {
    return { outcome: 'unchanged', event: null, endpoints: 0, says: `tag ${push.tag} was already ingested (release #${existing.id}), so nothing changes and nothing is sent` };
  }
  const published = (yield* ask('publishedReleases', hook.packageId)).filter((r) => semver.valid(r.version));
  const results = runChecks(contextFromPublished(push.tag, parsed.version, published));
  if (blocks(results)) {
    const failing = results.filter((r) => r.severity === 'blocking' && !r.passed).map((r) => r.rule);
    return yield* sent('release.checks_failed', `tag ${push.tag} creates release ${parsed.version}, which fails ${failing.join(', ')} and is not published,`);
  }
  return yield* sent('release.published', `tag ${push.tag} publishes release ${parsed.version}`);
}

export function* replayEffect(box: SecretBox, hook: ReceiverHook, headers: HeaderList, body: Buffer, now = Date.now()): ReplaySteps<ReplayEffect> {
  const name = (yield* ask('packageName', hook.packageId)) ?? hook.packageId;
  const base = { packageId: hook.packageId, packageName: name, relays: 0 };
  const intro = `This goes to the receiver of package ${name}`;
  const signature = verifies(box, hook, headers, body, now);
  if (!signature.ok) {
    return { ...base, outcome: 'rejected', event: null, endpoints: 0, text: `${intro} and will be refused: ${signature.reason} Nothing is ingested or sent.` };
  }
  const contentType = headers.get('content-type');
  const kind = classify(hook, headers, contentType, body);
  if (kind.kind === 'rejected') return { ...base, outcome: 'rejected', event: null, endpoints: 0, text: `${intro} and will be refused: ${kind.reason} Nothing is ingested or sent.` };
  const deliveryId = providerDeliveryIdOf(hook.provider, headers);
  if (deliveryId !== null) {
    const first = yield* ask('firstDeliveryId', hook.hookId, deliveryId);
    if (first !== undefined) {
      return {
        ...base,
        outcome: 'duplicate',
        event: null,
        endpoints: 0,
        text: `${intro}, which already has delivery id ${deliveryId} (delivery #${first}): it is recorded as a duplicate and nothing is ingested or sent. With a new delivery id it would be ingested.`,
      };
    }
  }
  const relayed = yield* ask('activeRelays', hook.packageId);
  const relayText = relayed ? ` It is also relayed to ${plural(relayed, 'endpoint')}.` : '';
  if (kind.kind === 'ping') return { ...base, relays: relayed, outcome: 'ping', event: null, endpoints: 0, text: `${intro} as a ping: it is recorded, nothing is ingested.${relayText}` };
  if (kind.kind === 'ignored') return { ...base, relays: relayed, outcome: 'ignored', event: null, endpoints: 0, text: `${intro} and is ignored (${kind.reason}).${relayText}` };
  const consequence = yield* tagPushConsequence(hook, contentType, body);
  const { says, ...rest } = consequence;
  return { ...base, ...rest, relays: relayed, text: `This will be ingested by package ${name}: ${says}.${relayText}` };
}
