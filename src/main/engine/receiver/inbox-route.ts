/**
 * Inboxes at /in/:inboxId[/…]: any method, any sub-path and query, any content type, an empty
 * body too. The same bounds as the package route (body cap while streaming, refusal throttle,
 * allowlist, memory budget); an unknown inbox gets 404 and nothing is stored; a known one's
 * request is persisted (same group commit) before it is answered.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { logInternalError } from '../internal-error';
import type { ReceiverInbox } from '../inbox/lookup';
import { captureIdOf } from '../inbox/capture-id';
import { verifyCapture } from '../inbox/verify-capture';
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

export interface InboxRouteOptions {
  lookupInbox: (inboxId: string) => ReceiverInbox | undefined;
  box: SecretBox;
  writer: DeliveryWriter;
  bodyLimit: number;
  limits: ReceiverLimits;
  now: () => number;
  access: () => AccessPolicy;
  throttle: RejectionThrottle;
  bodyBudget: ReturnType<typeof createBodyBudget>;
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
    const inbox = options.lookupInbox(inboxId);
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
    try {
      const answer = await capture(inbox, base, read.body);
      send(res, answer.status, answer.body);
    } finally {
      read.release();
    }
  }

  /** Verifies (unless the dialect is `none`) and stores; the default answer is 2xx whatever the verdict. */
  async function capture(inbox: ReceiverInbox, base: ReturnType<typeof baseOf>, body: Buffer): Promise<{ status: number; body: Record<string, unknown> }> {
    let secret: string | null = null;
    try {
      secret = inbox.secretSealed === null ? null : options.box.open(inbox.secretSealed);
    } catch (error) {
      const errorId = logInternalError('inbox secret', error);
      const reason = `Not verified: the inbox's secret could not be opened (${(error as Error).message}).`;
      const stored = await writer.write({ ...base, body, verdict: 'unchecked', verdictDetail: null, statusCode: 200, outcome: 'captured', outcomeReason: reason });
      return { status: 200, body: { ok: true, capture: stored.summary.id, verdict: 'unchecked', errorId } };
    }
    const headers = new HeaderList(base.headers);
    const check = verifyCapture(inbox.dialect, headers, body, secret, base.receivedAt, inbox.toleranceSeconds);
    const outcomeReason = check.verdict === 'valid' || check.verdict === 'unchecked' ? null : `Signature ${check.verdict}: ${check.detail?.reason ?? ''}`;
    const stored = await writer.write({
      ...base,
      providerDeliveryId: captureIdOf(inbox.dialect, headers, body),
      body,
      verdict: check.verdict,
      verdictDetail: check.detail,
      statusCode: 200,
      outcome: 'captured',
      outcomeReason,
      ...(secret === null ? {} : { secrets: [secret] }),
    });
    const repeat = stored.duplicateOf === null ? {} : { repeatOf: stored.duplicateOf };
    return { status: 200, body: { ok: true, capture: stored.summary.id, verdict: check.verdict, ...repeat } };
  }

  return {
    /** The inbox id and the rest of the target, or null when the request is not for an inbox. */
    match(url: string): { inboxId: string; rest: string } | null {
      const found = INBOX_TARGET.exec(url);
      return found ? { inboxId: found[1]!, rest: found[2] ?? '' } : null;
    },
    handle,
  };
}
