/**
 * The receiver: the only listener providers talk to.
 * - Three routes and nothing else: POST /hooks/:hookId, /in/:inboxId[/…] (inbox-route.ts) and GET /healthz.
 * - Unknown hook ids get 404 and nothing is stored, so strangers cannot fill the disk.
 * - Bodies are capped while streaming; header and request timeouts bound slow senders.
 * - Every request for a known hook is persisted before it is answered.
 */
import type { InboundAnswer, InboundRequest, ReceiverListenOptions, ReceiverOptions } from './receiver-types';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { previousSecretAccepted, signedWithPrevious } from '../secrets/rotation';
import type { ReceiverHook } from '../store/packages';
import { signingTokenFor } from '../ids';
import { logInternalError } from '../internal-error';
import { allowed, OPEN_POLICY } from './access';
import { admitCaller } from './caller';
import { createBodyBudget } from './body-budget';
import { inAny, LOOPBACK_RANGES } from './cidr';
import { classify } from './classify';
import { guardConnections } from './connection-guard';
import type { IncomingDelivery } from './delivery-writer';
import { HeaderList } from './headers';
import { eventOf, providerDeliveryIdOf } from './payload';
import { keptOfRefused, resolveLimits, serverOptionsFor } from './limits';
import { createInboxRoute, type InboxInboundRequest } from './inbox-route';
import { readBody } from './read-body';
import { send } from './reply';
import { createRejectionThrottle } from './rejection-throttle';
import { signatureAbsent, verifyDelivery } from './verify';
import { createShutdown } from './shutdown';
import { answeredDiskFull, refusedForDisk } from './disk-guard';

export const DEFAULT_BODY_LIMIT = 25 * 1024 * 1024;

export type { InboundAnswer, InboundRequest, ReceiverListenOptions, ReceiverOptions } from './receiver-types';

const HOOK_PATH = /^\/hooks\/([A-Za-z0-9_-]{1,128})\/?$/;

export function createReceiver(options: ReceiverOptions) {
  const bodyLimit = options.bodyLimit ?? DEFAULT_BODY_LIMIT;
  const now = options.now ?? Date.now;
  const limits = resolveLimits(options.limits);
  const throttle = createRejectionThrottle({ perWindow: limits.rejectionsPerWindow, windowMs: limits.rejectionWindowMs, now, onSummary: options.onThrottled });
  const trustedProxy = (address: string) => inAny((options.access?.() ?? OPEN_POLICY).trustedProxies, address);
  const speaksForMany = (address: string) => inAny(LOOPBACK_RANGES, address) || trustedProxy(address);
  const bodyBudget = createBodyBudget({ total: Math.max(limits.bodyMemory, bodyLimit), perAddress: Math.max(bodyLimit, limits.bodyMemory / 4), shared: speaksForMany });
  const secretOf = (hook: ReceiverHook) => options.box.open(hook.secretSealed);
  const { lookupInbox } = options;
  const inboxRoute = lookupInbox
    ? createInboxRoute({ lookupInbox, box: options.box, writer: options.writer, bodyLimit, limits, now, access: () => options.access?.() ?? OPEN_POLICY, throttle, bodyBudget, passBack: options.passBack, disk: options.disk })
    : null;

  /** The receiver path, shared by direct HTTP, the tunnel and replays. */
  async function receive(request: InboundRequest, hook: ReceiverHook, reread = false): Promise<InboundAnswer> {
    const { headers, body } = request;
    const receivedAt = now();
    const contentType = headers.get('content-type') ?? null;
    const base: Omit<IncomingDelivery, 'verdict' | 'verdictDetail' | 'statusCode' | 'outcome' | 'outcomeReason' | 'tag'> = {
      hookId: hook.hookId,
      packageId: hook.packageId,
      receivedAt,
      source: request.source,
      remoteAddress: request.remoteAddress,
      headers: headers.pairs,
      body,
      contentType,
      providerDeliveryId: providerDeliveryIdOf(hook.provider, headers),
      event: eventOf(hook.provider, headers),
      replayOf: request.replayOf ?? null,
    };
    let secret: string;
    try {
      secret = secretOf(hook);
    } catch (error) {
      // Never acknowledged without a check; recorded with the cause, answered without it.
      const reason = `Not verified: the hook's secret could not be opened (${(error as Error).message}).`;
      const errorId = logInternalError('receiver secret', error);
      const stored = await options.writer.write({ ...base, verdict: 'unchecked', verdictDetail: null, statusCode: 500, outcome: 'rejected', outcomeReason: reason, tag: null });
      return {
        status: 500,
        body: { error: 'internal', reason: `The delivery could not be verified; it was recorded, not accepted (error ${errorId}, in the server's log).`, errorId, delivery: stored.summary.id },
      };
    }
    // A header carrying the hook's own secret is sealed at rest, whatever it is called.
    base.secrets = [secret];
    let check = verifyDelivery(hook.provider, headers, body, { secret, signingToken: signingTokenFor(secret) }, receivedAt);
    // During a hook rotation the provider may still sign with the secret being replaced.
    if (!check.ok && hook.previousSecretSealed && previousSecretAccepted(hook, receivedAt)) {
      const previous = secretOf({ ...hook, secretSealed: hook.previousSecretSealed });
      const again = verifyDelivery(hook.provider, headers, body, { secret: previous, signingToken: signingTokenFor(previous) }, receivedAt);
      if (again.ok) check = { ...again, detail: { ...again.detail, reason: signedWithPrevious('hook') } };
    }
    if (!check.ok && !reread) {
      // Another process may have rotated the hook since it was last read: check what is stored now.
      const fresh = (await options.lookupHook.fresh?.(hook.hookId)) ?? options.lookupHook(hook.hookId, true);
      if (fresh && (fresh.secretSealed !== hook.secretSealed || fresh.previousSecretSealed !== hook.previousSecretSealed)) {
        return receive(request, fresh, true);
      }
    }
    if (!check.ok) {
      const stored = await options.writer.write({
        ...base,
        body: keptOfRefused(body, limits),
        bodySize: request.bodySize ?? body.length,
        verdict: check.verdict,
        verdictDetail: check.detail,
        statusCode: 403,
        outcome: 'rejected',
        outcomeReason: `Signature ${check.verdict}: ${check.detail.reason}`,
        tag: null,
      });
      return { status: 403, body: { error: 'signature_' + check.verdict, reason: check.detail.reason, delivery: stored.summary.id }, unverified: true };
    }
    const kind = classify(hook, headers, contentType ?? undefined, body);
    const fields =
      kind.kind === 'rejected'
        ? { statusCode: kind.status, outcome: 'rejected' as const, outcomeReason: kind.reason, tag: null }
        : kind.kind === 'ignored'
          ? { statusCode: 202, outcome: 'ignored' as const, outcomeReason: kind.reason, tag: null }
          : kind.kind === 'ping'
            ? { statusCode: 200, outcome: 'ping' as const, outcomeReason: 'Ping: hook verified.', tag: null }
            : { statusCode: 202, outcome: 'pending' as const, outcomeReason: null, tag: kind.tag };
    const stored = await options.writer.write({ ...base, verdict: check.verdict, verdictDetail: check.detail, ...fields });
    const { summary, duplicateOf } = stored;
    if (duplicateOf !== null) return { status: 200, body: { ok: true, duplicate: true, delivery: summary.id, duplicateOf } };
    if (summary.outcome === 'rejected') return { status: summary.statusCode, body: { error: 'rejected', reason: summary.outcomeReason, delivery: summary.id } };
    return { status: summary.statusCode, body: { ok: true, delivery: summary.id, outcome: summary.outcome, reason: summary.outcomeReason } };
  }

  /** A request refused before its body was read in full: recorded with at most the first bytes. */
  async function recordRefused(hook: ReceiverHook, headers: HeaderList, refusal: { status: number; reason: string; bodySize: number; remote: string | null; body?: Buffer }): Promise<void> {
    await options.writer.write({
      hookId: hook.hookId,
      packageId: hook.packageId,
      receivedAt: now(),
      source: 'direct',
      remoteAddress: refusal.remote,
      headers: headers.pairs,
      body: keptOfRefused(refusal.body ?? Buffer.alloc(0), limits),
      bodySize: refusal.bodySize,
      contentType: headers.get('content-type') ?? null,
      providerDeliveryId: providerDeliveryIdOf(hook.provider, headers),
      event: eventOf(hook.provider, headers),
      verdict: 'unchecked',
      verdictDetail: null,
      statusCode: refusal.status,
      outcome: 'rejected',
      outcomeReason: refusal.reason,
      tag: null,
    });
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? '/').split('?')[0]!;
    if (path === '/healthz') {
      if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, { error: 'method_not_allowed' });
      return send(res, 200, { ok: true });
    }
    const inboxTarget = inboxRoute?.match(req.url ?? '/');
    if (inboxRoute && inboxTarget) return inboxRoute.handle(req, res, inboxTarget.inboxId, inboxTarget.rest);
    const match = HOOK_PATH.exec(path);
    if (!match) return send(res, 404, { error: 'not_found' }, true);
    if (req.method !== 'POST') return send(res, 405, { error: 'method_not_allowed', allow: 'POST' }, true);

    // Read from the raw pairs (as stored) rather than req.headers, which Node builds on first use.
    const headers = HeaderList.fromRaw(req.rawHeaders);
    const policy = options.access?.() ?? OPEN_POLICY;
    const remote = admitCaller(req, res, headers, policy, throttle);
    if (remote === null) return;
    // A hook added a moment ago through another instance of a team server is read at once.
    const hook = options.lookupHook(match[1]!) ?? (await options.lookupHook.fresh?.(match[1]!));
    if (!hook) {
      throttle.rejected(remote);
      return send(res, 404, { error: 'unknown_hook' }, true);
    }
    if (refusedForDisk(options.disk, res)) return;

    const declaredSize = Number(headers.get('content-length') ?? 0);
    if (!allowed(policy, remote)) {
      throttle.rejected(remote);
      const reason = `Source address ${remote} is not in the receiver's allowlist (${policy.allow?.map((c) => c.text).join(', ')}); the body was not read.`;
      await recordRefused(hook, headers, { status: 403, reason, bodySize: declaredSize, remote });
      return send(res, 403, { error: 'address_not_allowed' }, true);
    }
    // Without a signature the request is refused whatever its body says: keep only its first bytes.
    const keep = signatureAbsent(hook.provider, headers) ? limits.rejectedBodyLimit : bodyLimit;
    if (keep === bodyLimit && !bodyBudget.hold(remote, Math.min(bodyLimit, headers.get('content-length') === undefined ? bodyLimit : declaredSize), res)) {
      return send(res, 503, { error: 'busy', reason: 'Too many large requests are being read; try again shortly.' }, true, { 'retry-after': '5' });
    }
    const read = await readBody(req, { limit: bodyLimit, declared: declaredSize, keep });
    if (!read.ok && 'aborted' in read) return;
    if (!read.ok) {
      throttle.rejected(remote);
      const reason = `Body exceeds the ${bodyLimit} byte limit (at least ${read.seen} bytes); only its first bytes were kept.`;
      await recordRefused(hook, headers, { status: 413, reason, bodySize: read.seen, remote, body: read.body }).finally(read.release);
      send(res, 413, { error: 'payload_too_large', limit: bodyLimit }, true);
      return;
    }
    const answer = await receive(
      {
        hookId: hook.hookId,
        source: 'direct',
        remoteAddress: remote || null,
        headers,
        body: read.body,
        bodySize: read.size,
      },
      hook,
    ).finally(read.release);
    if (answer.unverified) throttle.rejected(remote);
    send(res, answer.status, answer.body);
  }

  let shutdown: ReturnType<typeof createShutdown> | null = null;
  let inFlight = 0;
  let lastArrival = -Infinity;
  return {
    receive,
    /** Into an inbox from inside Hookbench (a replay); null when there is no such inbox. */
    receiveInbox: (request: InboxInboundRequest) => (inboxRoute ? inboxRoute.receiveInProcess(request) : Promise.resolve(null)),
    /**
     * Requests are being answered, or one arrived within the last millisecond: under a steady
     * stream the count in flight touches zero between answers and the next request, and that
     * is no time to start other work.
     */
    busy: () => inFlight > 0 || performance.now() - lastArrival < 1,
    async listen({ host = '127.0.0.1', port = 0 }: ReceiverListenOptions = {}): Promise<{ url: string; server: Server }> {
      const srv = createServer(serverOptionsFor(limits), (req, res) => {
        if (!stopping.admit(res)) return;
        inFlight++;
        lastArrival = performance.now();
        res.once('close', () => inFlight--);
        handle(req, res).catch((error: unknown) => {
          if (answeredDiskFull(options.disk, error, res)) return;
          // Not acknowledged: the provider will see a 5xx and may retry.
          const errorId = logInternalError('receiver request', error);
          if (!res.headersSent) send(res, 500, { error: 'internal', reason: `Internal error ${errorId}; it is in the server's log.`, errorId }, true);
          else res.destroy();
        });
      });
      guardConnections(srv, { maxConnections: limits.maxConnections, maxConnectionsPerAddress: limits.maxConnectionsPerAddress, exempt: trustedProxy });
      const stopping = createShutdown(srv);
      await new Promise<void>((resolve, reject) => {
        srv.once('error', reject);
        srv.listen(port, host, () => resolve());
      });
      shutdown = stopping;
      const address = srv.address() as AddressInfo;
      const shownHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      return { url: `http://${shownHost}:${address.port}`, server: srv };
    },
    /** Stops acknowledging at once; resolves when what was already being read is answered (or cut after a grace period). */
    async close(): Promise<void> {
      const closing = shutdown;
      shutdown = null;
      await closing?.close();
    },
  };
}

export type Receiver = ReturnType<typeof createReceiver>;
