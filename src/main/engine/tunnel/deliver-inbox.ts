/**
 * An event from the smee channel for an inbox (`?path=/in/<id>[/…]`) becomes a capture, marked
 * as via tunnel: its body is first rebuilt into the bytes the sender signed, by the same
 * reconstructions as a package hook's (recover.ts), checked with the inbox's dialect and secret.
 * smee answered the sender already, so no programmed answer applies; the capture is forwarded
 * to the inbox's targets like any other.
 */
import type { ReceiverInbox } from '../inbox/lookup';
import { captureIdOf } from '../inbox/capture-id';
import { NO_DIALECT } from '../inbox/inboxes';
import { captureEventOf } from '../inbox/capture-event';
import { openInboxSecrets, signatureHeader, verifyCapture } from '../inbox/verify-capture';
import { getDialect } from '../dialects';
import type { DeliveryWriter } from '../receiver/delivery-writer';
import { HeaderList } from '../receiver/headers';
import type { SecretBox } from '../secrets/secret-box';
import type { SmeeEvent } from './event';
import { recoverSignedBody, type RecoveryCheck } from './recover';

/** While rebuilding, only the bytes matter: the age of the signed timestamp is checked on the capture itself. */
const ANY_AGE_SECONDS = 30 * 86400;

function inboxCheck(inbox: ReceiverInbox, headers: HeaderList, secret: string | null, previous: string | null): RecoveryCheck {
  if (inbox.dialect === NO_DIALECT || secret === null)
    return { header: null, verify: () => ({ ok: false, verdict: 'unchecked', detail: { header: null, scheme: null, expected: null, received: null, reason: '' } }) };
  return {
    header: signatureHeader(getDialect(inbox.dialect).headers, headers),
    verify: (body, at) => {
      const check = verifyCapture(inbox.dialect, headers, body, secret, at, ANY_AGE_SECONDS, previous);
      return { ok: check.verdict === 'valid', verdict: check.verdict, detail: check.detail! };
    },
  };
}

export interface TunnelInboxDeps {
  lookupInbox: ((inboxId: string) => ReceiverInbox | undefined) & { fresh?: (inboxId: string) => Promise<ReceiverInbox | undefined> };
  box: SecretBox;
  writer: Pick<DeliveryWriter, 'write'>;
  now: () => number;
  reconstructionHeader: string;
}

export function createTunnelInboxDelivery(deps: TunnelInboxDeps) {
  return async function deliverToInbox(event: SmeeEvent, target: { inboxId: string; rest: string }, remoteAddress: string | null) {
    // An inbox added a moment ago (on any instance of a team server) is read at once, as the receiver does.
    const inbox = deps.lookupInbox(target.inboxId) ?? (await deps.lookupInbox.fresh?.(target.inboxId));
    if (!inbox) return { kind: 'dropped' as const, reason: `An event for unknown inbox ${target.inboxId} reached the smee channel (was it removed?); it was not stored.` };
    // The record of which reconstruction was stored is Hookbench's own; a sender cannot supply it.
    const pairs = event.headers.filter(([name]) => name.toLowerCase() !== deps.reconstructionHeader);
    const headers = new HeaderList(pairs);
    const receivedAt = deps.now();
    let secret: string | null = null;
    // A rotated-out secret still verifies during its overlap, as on the direct route.
    let previous: string | null = null;
    let secretProblem: string | null = null;
    try {
      ({ secret, previous } = openInboxSecrets(inbox, deps.box, receivedAt));
    } catch (error) {
      secretProblem = `Not verified: the inbox's secret could not be opened (${(error as Error).message}).`;
    }
    const recovery = recoverSignedBody(inboxCheck(inbox, headers, secret, previous), headers, event.body, receivedAt);
    const note =
      recovery.kind === 'verified'
        ? recovery.reconstruction
        : recovery.kind === 'unsigned'
          ? `${recovery.reconstruction} (not verified: no body signature to check)`
          : recovery.kind === 'changed'
            ? `none matched (${recovery.tried.length} tried)`
            : 'none (no body arrived)';
    const base = {
      hookId: inbox.id,
      packageId: null,
      receivedAt,
      source: 'tunnel' as const,
      remoteAddress,
      headers: [...pairs, [deps.reconstructionHeader, note]] as [string, string][],
      body: recovery.body,
      contentType: headers.get('content-type') ?? null,
      event: captureEventOf(pairs, recovery.body),
      tag: null,
      method: 'POST',
      path: target.rest,
      ...(secret === null ? {} : { secrets: previous === null ? [secret] : [secret, previous] }),
    };
    if (recovery.kind === 'dropped') {
      const stored = await deps.writer.write({
        ...base,
        providerDeliveryId: null,
        verdict: 'unchecked',
        verdictDetail: null,
        statusCode: recovery.status,
        outcome: 'rejected',
        outcomeReason: recovery.reason,
      });
      return { kind: 'stored' as const, deliveryId: stored.summary.id, status: stored.summary.statusCode, reconstruction: note };
    }
    const check = secretProblem === null ? verifyCapture(inbox.dialect, headers, recovery.body, secret, receivedAt, inbox.toleranceSeconds, previous) : { verdict: 'unchecked' as const, detail: null };
    const reason = recovery.kind === 'changed' ? recovery.reason : (check.detail?.reason ?? '');
    const stored = await deps.writer.write({
      ...base,
      providerDeliveryId: captureIdOf(inbox.dialect, headers, recovery.body),
      verdict: check.verdict,
      verdictDetail: check.detail && recovery.kind === 'changed' ? { ...check.detail, reason } : check.detail,
      statusCode: 200,
      outcome: 'captured',
      outcomeReason: secretProblem ?? (check.verdict === 'valid' || check.verdict === 'unchecked' ? null : `Signature ${check.verdict}: ${reason}`),
    });
    return { kind: 'stored' as const, deliveryId: stored.summary.id, status: stored.summary.statusCode, reconstruction: note };
  };
}
