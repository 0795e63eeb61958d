/**
 * An event from the smee channel becomes a delivery through the receiver path, marked
 * as via tunnel, with the provider's headers as smee saw them. The body is first
 * rebuilt into the bytes the provider signed (recover.ts); the rebuild used is recorded
 * on the delivery as an extra header.
 */
import type { DeliveryWriter } from '../receiver/delivery-writer';
import { HeaderList } from '../receiver/headers';
import { eventOf, providerDeliveryIdOf } from '../receiver/payload';
import type { Receiver } from '../receiver/server';
import { signingTokenFor } from '../ids';
import { previousSecretAccepted } from '../secrets/rotation';
import type { SecretBox } from '../secrets/secret-box';
import type { ReceiverHook } from '../store/packages';
import type { ReceiverInbox } from '../inbox/lookup';
import { hookIdFromQuery, inboxTargetFromQuery } from './channel';
import { createTunnelInboxDelivery } from './deliver-inbox';
import type { SmeeEvent } from './event';
import { recoverBody } from './recover';

/** Added to a tunnel delivery's headers: which reconstruction of the body was stored. */
export const RECONSTRUCTION_HEADER = 'x-hookbench-reconstruction';

/** A receiving address looked up by id; with `fresh` (a team server's cache), an id the cache does not have yet is read at once. */
export type AddressLookup<T> = ((id: string) => T | undefined) & { fresh?: (id: string) => Promise<T | undefined> };

export interface TunnelDeliveryDeps {
  lookupHook: AddressLookup<ReceiverHook>;
  box: SecretBox;
  receiver: Pick<Receiver, 'receive'>;
  writer: Pick<DeliveryWriter, 'write'>;
  now: () => number;
  /** Inboxes, reached through the channel as `?path=/in/<id>[/…]`. */
  lookupInbox?: AddressLookup<ReceiverInbox>;
}

export type TunnelOutcome = { kind: 'stored'; deliveryId: number | null; status: number; reconstruction: string } | { kind: 'dropped'; reason: string };

export function createTunnelDelivery(deps: TunnelDeliveryDeps) {
  const opened = new Map<string, string>();
  const secretOf = (sealed: string) => {
    let secret = opened.get(sealed);
    if (secret === undefined) {
      secret = deps.box.open(sealed);
      opened.set(sealed, secret);
    }
    return secret;
  };

  const { lookupInbox } = deps;
  const deliverToInbox = lookupInbox ? createTunnelInboxDelivery({ ...deps, lookupInbox, reconstructionHeader: RECONSTRUCTION_HEADER }) : null;

  return async function deliver(event: SmeeEvent, remoteAddress: string | null): Promise<TunnelOutcome> {
    const inboxTarget = deliverToInbox ? inboxTargetFromQuery(event.query) : null;
    if (deliverToInbox && inboxTarget) return deliverToInbox(event, inboxTarget, remoteAddress);
    const hookId = hookIdFromQuery(event.query);
    if (!hookId) {
      return { kind: 'dropped', reason: 'An event reached the smee channel without a hook id (expected ?path=/hooks/<hook id>, or ?path=/in/<inbox id> for an inbox, on the URL); it was not stored.' };
    }
    // A hook added a moment ago (on any instance of a team server) is read at once, as the receiver does.
    let hook = deps.lookupHook(hookId) ?? (await deps.lookupHook.fresh?.(hookId));
    if (!hook) return { kind: 'dropped', reason: `An event for unknown hook ${hookId} reached the smee channel (was its package removed?); it was not stored.` };

    // The record of which reconstruction was stored is Hookbench's own; a sender cannot supply it.
    const pairs = event.headers.filter(([name]) => name.toLowerCase() !== RECONSTRUCTION_HEADER);
    const headers = new HeaderList(pairs);
    const recoverFor = (target: ReceiverHook) => {
      const recoverWith = (sealed: string) => {
        const secret = secretOf(sealed);
        return recoverBody(target.provider, headers, event.body, { secret, signingToken: signingTokenFor(secret) }, deps.now());
      };
      const current = recoverWith(target.secretSealed);
      // During a rotation the provider may still sign with the secret being replaced.
      if (current.kind !== 'changed' || !previousSecretAccepted(target, deps.now())) return current;
      const withPrevious = recoverWith(target.previousSecretSealed!);
      return withPrevious.kind === 'verified' ? withPrevious : current;
    };
    let recovery = recoverFor(hook);
    // Before a signature is refused, the hook is read again: its secret may have been replaced a moment ago on another instance.
    if (recovery.kind === 'changed' && deps.lookupHook.fresh) {
      const reread = await deps.lookupHook.fresh(hookId);
      if (reread && (reread.secretSealed !== hook.secretSealed || reread.previousSecretSealed !== hook.previousSecretSealed)) {
        hook = reread;
        recovery = recoverFor(reread);
      }
    }

    if (recovery.kind === 'verified' || recovery.kind === 'unsigned') {
      const note = recovery.kind === 'verified' ? recovery.reconstruction : `${recovery.reconstruction} (not verified: no body signature to check)`;
      const answer = await deps.receiver.receive({ hookId, source: 'tunnel', remoteAddress, headers: new HeaderList([...pairs, [RECONSTRUCTION_HEADER, note]]), body: recovery.body }, hook);
      const id = answer.body.delivery;
      return { kind: 'stored', deliveryId: typeof id === 'number' ? id : null, status: answer.status, reconstruction: note };
    }

    // Nothing reproduces the signature, or no body came: stored and rejected, saying the tunnel did it.
    const note = recovery.kind === 'changed' ? `none matched (${recovery.tried.length} tried)` : 'none (no body arrived)';
    const stored = await deps.writer.write({
      hookId: hook.hookId,
      packageId: hook.packageId,
      receivedAt: deps.now(),
      source: 'tunnel',
      remoteAddress,
      headers: [...pairs, [RECONSTRUCTION_HEADER, note]],
      body: recovery.body,
      contentType: headers.get('content-type') ?? null,
      providerDeliveryId: providerDeliveryIdOf(hook.provider, headers),
      event: eventOf(hook.provider, headers),
      verdict: recovery.kind === 'changed' ? 'invalid' : 'unchecked',
      verdictDetail: recovery.kind === 'changed' ? { ...recovery.check.detail, reason: recovery.reason } : { header: null, scheme: null, expected: null, received: null, reason: recovery.reason },
      statusCode: recovery.kind === 'changed' ? 403 : recovery.status,
      outcome: 'rejected',
      outcomeReason: recovery.kind === 'changed' ? `Signature invalid: ${recovery.reason}` : recovery.reason,
      tag: null,
    });
    return { kind: 'stored', deliveryId: stored.summary.id, status: stored.summary.statusCode, reconstruction: note };
  };
}
