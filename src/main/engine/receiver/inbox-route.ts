import { captureEventOf } from '../inbox/capture-event';
/**
 * Inboxes at /in/:inboxId[/…]: any method, any sub-path and query, any content type, an empty
 * body too. The same bounds as the package route (body cap while streaming, refusal throttle,
 * allowlist, memory budget); an unknown inbox gets 404 and nothing is stored; a known one's
 * request is persisted (same group commit) before it is answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { DeliverySource } from '../../../shared/types';
import { logInternalError } from '../internal-error';
import type { ReceiverInbox } from '../inbox/lookup';
import { captureIdOf } from '../inbox/capture-id';
import { giveAnswer, planAnswer, type PlannedAnswer } from '../inbox/answer-plan';
import { openInboxSecrets, verifyCapture, type InboxSecrets } from '../inbox/verify-capture';
import type { SecretBox } from '../secrets/secret-box';
import { allowed, OPEN_POLICY, type AccessPolicy } from './access';
import { admitCaller } from './caller';
import type { createBodyBudget } from './body-budget';
import type { DeliveryWriter, IncomingDelivery } from './delivery-writer';
import { HeaderList } from './headers';
import { keptOfRefused, type ReceiverLimits } from './limits';
import { readBody } from './read-body';
import type { RejectionThrottle } from './rejection-throttle';
import { send } from './reply';
import { refusedForDisk, type DiskGuard } from './disk-guard';

/** The inbox id, then the rest of the target (sub-path and query) exactly as sent. */
const INBOX_TARGET = /^\/in\/([A-Za-z0-9_-]{1,128})((?:[/?].*)?)$/s;

/** A request from inside Hookbench (a replay) for an inbox. */
export interface InboxInboundRequest {
  inboxId: string;
  method: string;
  /** After the inbox address, query included ('' for the address itself). */
  path: string;
  headers: [string, string][];
  body: Buffer;
  source: DeliverySource;
  replayOf?: string | null;
}

/** What a capture is stored with before its verdict is known. */
type CaptureBase = Omit<IncomingDelivery, 'body' | 'verdict' | 'verdictDetail' | 'statusCode' | 'outcome' | 'outcomeReason'>;

export interface InboxRouteOptions {
  /** With `fresh` (a team server's cache), an id the cache does not have yet is read at once. */
  lookupInbox: ((inboxId: string) => ReceiverInbox | undefined) & { fresh?: (inboxId: string) => Promise<ReceiverInbox | undefined> };
  box: SecretBox;
  writer: DeliveryWriter;
  bodyLimit: number;
  limits: ReceiverLimits;
  now: () => number;
  access: () => AccessPolicy;
  throttle: RejectionThrottle;
  bodyBudget: ReturnType<typeof createBodyBudget>;
  /** Answers with a forward target's own answer instead (pass-back); false: it did not. */
  passBack?: (res: ServerResponse, captureId: unknown) => Promise<boolean>;
  disk?: DiskGuard | undefined;
}

export function createInboxRoute(options: InboxRouteOptions) {
  const { writer, bodyLimit, limits, now, throttle, bodyBudget } = options;

  function baseOf(inbox: ReceiverInbox, req: IncomingMessage, rest: string, headers: HeaderList, remote: string | null) {
    return {
      hookId: inbox.id,
      packageId: null,
      receivedAt: now(),
      source: 'direct' as const,
      remoteAddress: remote,
      headers: headers.pairs,
      contentType: headers.get('content-type') ?? null,
      providerDeliveryId: null,
      event: null,
      tag: null,
      method: req.method ?? 'GET',
      path: rest,
    } satisfies Partial<IncomingDelivery>;
  }

  async function refuse(base: ReturnType<typeof baseOf>, res: ServerResponse, refusal: { status: number; error: string; reason: string; bodySize: number; body?: Buffer }): Promise<void> {
    await writer.write({
      ...base,
      body: keptOfRefused(refusal.body ?? Buffer.alloc(0), limits),
      bodySize: refusal.bodySize,
      verdict: 'unchecked',
      verdictDetail: null,
      statusCode: refusal.status,
      outcome: 'rejected',
      outcomeReason: refusal.reason,
    });
    send(res, refusal.status, { error: refusal.error, reason: refusal.reason }, true);
  }

  async function handle(req: IncomingMessage, res: ServerResponse, inboxId: string, rest: string): Promise<void> {
    const headers = HeaderList.fromRaw(req.rawHeaders);
    const policy = options.access() ?? OPEN_POLICY;
    const remote = admitCaller(req, res, headers, policy, throttle);
    if (remote === null) return;
    const inbox = options.lookupInbox(inboxId) ?? (await options.lookupInbox.fresh?.(inboxId));
    if (!inbox) {
      throttle.rejected(remote);
      return send(res, 404, { error: 'unknown_inbox' }, true);
    }
    if (refusedForDisk(options.disk, res)) return;
    const base = baseOf(inbox, req, rest, headers, remote || null);
    const declaredSize = Number(headers.get('content-length') ?? 0);
    if (!allowed(policy, remote)) {
      throttle.rejected(remote);
      const reason = `Source address ${remote} is not in the receiver's allowlist (${policy.allow?.map((c) => c.text).join(', ')}); the body was not read.`;
      return refuse(base, res, { status: 403, error: 'address_not_allowed', reason, bodySize: declaredSize });
    }
    if (!bodyBudget.hold(remote, Math.min(bodyLimit, headers.get('content-length') === undefined ? bodyLimit : declaredSize), res)) {
      return send(res, 503, { error: 'busy', reason: 'Too many large requests are being read; try again shortly.' }, true, { 'retry-after': '5' });
    }
    const read = await readBody(req, { limit: bodyLimit, declared: declaredSize });
    if (!read.ok && 'aborted' in read) return;
    if (!read.ok) {
      throttle.rejected(remote);
      const reason = `Body exceeds the ${bodyLimit} byte limit (at least ${read.seen} bytes); only its first bytes were kept.`;
      return refuse(base, res, { status: 413, error: 'payload_too_large', reason, bodySize: read.seen, body: read.body }).finally(read.release);
    }
    const captured = await capture(inbox, base, read.body).finally(read.release);
    // A pass-back target's answer replaces the programmed one when it comes in time.
    if (await options.passBack?.(res, captured.body.capture)) return;
    giveAnswer(res, captured.planned, captured.body, limits.holdOpenMs);
  }

  /**
   * Verifies (unless the dialect is `none`) and stores, with the status the inbox is about to
   * answer (2xx at once by default, whatever the verdict; see inbox/answer-plan.ts).
   */
  async function capture(inbox: ReceiverInbox, base: CaptureBase, body: Buffer, reread = false): Promise<{ planned: PlannedAnswer; body: Record<string, unknown> }> {
    const headers = new HeaderList(base.headers);
    const eventId = captureIdOf(inbox.dialect, headers, body);
    // The event a capture is about: its header, else the payload's own type (Stripe, Standard Webhooks, Repsy, Slack).
    const event = captureEventOf(base.headers, body);
    const planned = planAnswer(inbox.answer, () => (eventId === null ? 1 : inbox.arrivalsSoFar(eventId) + 1));
    let secrets: InboxSecrets;
    try {
      secrets = openInboxSecrets(inbox, options.box, base.receivedAt);
    } catch (error) {
      const errorId = logInternalError('inbox secret', error);
      const reason = `Not verified: the inbox's secret could not be opened (${(error as Error).message}).`;
      const stored = await writer.write({
        ...base,
        event,
        providerDeliveryId: eventId,
        body,
        verdict: 'unchecked',
        verdictDetail: null,
        statusCode: planned.status,
        outcome: 'captured',
        outcomeReason: reason,
      });
      return { planned, body: { ok: true, capture: stored.summary.id, verdict: 'unchecked', errorId } };
    }
    const { secret, previous } = secrets;
    const check = verifyCapture(inbox.dialect, headers, body, secret, base.receivedAt, inbox.toleranceSeconds, previous);
    if (check.verdict === 'invalid' && !reread && options.lookupInbox.fresh) {
      // On a team server the inbox may have been rotated through another instance a moment ago: check what is stored now.
      const fresh = await options.lookupInbox.fresh(inbox.id);
      if (fresh && (fresh.secretSealed !== inbox.secretSealed || fresh.previousSecretSealed !== inbox.previousSecretSealed)) return capture(fresh, base, body, true);
    }
    const outcomeReason = check.verdict === 'valid' || check.verdict === 'unchecked' ? null : `Signature ${check.verdict}: ${check.detail?.reason ?? ''}`;
    const stored = await writer.write({
      ...base,
      event,
      providerDeliveryId: eventId,
      body,
      verdict: check.verdict,
      verdictDetail: check.detail,
      statusCode: planned.status,
      outcome: 'captured',
      outcomeReason,
      ...(secret === null ? {} : { secrets: previous === null ? [secret] : [secret, previous] }),
    });
    const repeat = stored.duplicateOf === null ? {} : { repeatOf: stored.duplicateOf };
    return { planned, body: { ok: true, capture: stored.summary.id, verdict: check.verdict, ...repeat } };
  }

  /**
   * A request that comes from inside Hookbench (a replay), not from a socket: verified and
   * stored as the inbox takes any request, with its own method and path. null: no such inbox.
   */
  async function receiveInProcess(request: InboxInboundRequest): Promise<{ status: number; body: Record<string, unknown> } | null> {
    const inbox = options.lookupInbox(request.inboxId) ?? (await options.lookupInbox.fresh?.(request.inboxId));
    if (!inbox) return null;
    const headers = new HeaderList(request.headers);
    const base: CaptureBase = {
      hookId: inbox.id,
      packageId: null,
      receivedAt: now(),
      source: request.source,
      replayOf: request.replayOf ?? null,
      remoteAddress: null,
      headers: headers.pairs,
      contentType: headers.get('content-type') ?? null,
      providerDeliveryId: null,
      event: null,
      tag: null,
      method: request.method,
      path: request.path,
    };
    // The programmed answer's status counts (a replay tests a sender's retries too); no delay or hold here.
    const captured = await capture(inbox, base, request.body);
    return { status: captured.planned.status, body: captured.body };
  }

  return {
    receiveInProcess,
    /** The inbox id and the rest of the target, or null when the request is not for an inbox. */
    match(url: string): { inboxId: string; rest: string } | null {
      const found = INBOX_TARGET.exec(url);
      return found ? { inboxId: found[1]!, rest: found[2] ?? '' } : null;
    },
    handle,
  };
}
