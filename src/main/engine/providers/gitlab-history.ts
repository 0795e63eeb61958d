/**
 * GitLab's record of a project hook's deliveries: webhook events (GitLab 17.3+, the last
 * 7 days, newest first, without timestamps), resending one (17.4+) and a test event
 * (16.11+). Servers without a route answer 404, which here says which version is needed.
 */
import type { ProviderApi, RawDelivery, RepoRef } from './api';
import type { ApiClient, ApiResponse, ApiTarget } from './http';
import { messageOf, unexpected } from './http';
import { ProviderError } from './errors';

const record = (v: unknown): Record<string, unknown> => (v !== null && typeof v === 'object' ? (v as Record<string, unknown>) : {});
const hookPath = (repo: RepoRef, hookId: string) => `/projects/${encodeURIComponent(repo.id)}/hooks/${encodeURIComponent(hookId)}`;

/** What a hook created by Hookbench is tested with: a branch push is answered but ingests nothing. */
const TEST_TRIGGER = 'push_events';

/** Header names differ in case between GitLab versions; look them up without it. */
function header(headers: Record<string, unknown>, name: string): string | null {
  const key = Object.keys(headers).find((k) => k.toLowerCase() === name);
  return key !== undefined && typeof headers[key] === 'string' ? (headers[key] as string) : null;
}

/** One webhook event as a delivery; the receiver's Date header stands in for when it happened. */
export function toGitLabDelivery(value: unknown): RawDelivery {
  const e = record(value);
  const request = record(e.request_headers);
  const response = record(e.response_headers);
  const status = String(e.response_status ?? '');
  const code = /^\d{3}$/.test(status) ? Number(status) : 0;
  const date = header(response, 'date');
  const when = date ? Date.parse(date) : NaN;
  const payload = record(e.request_data);
  return {
    id: String(e.id),
    // The receiver dedupes on the same key, so the two records line up.
    guid: header(request, 'idempotency-key') ?? header(request, 'x-gitlab-event-uuid') ?? `event:${String(e.id)}`,
    deliveredAt: Number.isNaN(when) ? null : when,
    redelivery: false,
    event: header(request, 'x-gitlab-event') ?? String(e.trigger ?? 'unknown'),
    action: null,
    statusCode: code,
    status: code ? (code >= 200 && code < 300 ? 'OK' : `HTTP ${code}`) : status || 'no answer',
    durationMs: typeof e.execution_duration === 'number' ? Math.round(e.execution_duration * 1000) : null,
    payload: Object.keys(payload).length ? payload : null,
  };
}

export function gitlabHistory(client: ApiClient, target: ApiTarget): NonNullable<ProviderApi['history']> {
  const call = (method: string, path: string, options?: Parameters<ApiClient['request']>[3]) => client.request(target, method, path, options);

  function missing(res: ApiResponse, repo: RepoRef, hookId: string, feature: string, since: string): ProviderError {
    // A missing record is {"message": …}; a route this server does not have is {"error": "404 Not Found"}.
    if (record(res.body).error === undefined) {
      return new ProviderError('not_found', `GitLab has no hook ${hookId} on ${repo.fullName} any more (HTTP 404): it was deleted, or the token lost access to it.`, 404);
    }
    return new ProviderError(
      'not_found',
      `This GitLab server has no ${feature} API (it came with GitLab ${since}). Use ${repo.fullName} → Settings → Webhooks → Edit → Recent events instead.`,
      404,
    );
  }

  async function page(repo: RepoRef, hookId: string, number: number, perPage: number): Promise<{ items: RawDelivery[]; next: number | null }> {
    const res = await call('GET', `${hookPath(repo, hookId)}/events`, { query: { page: number, per_page: perPage } });
    if (res.status === 404) throw missing(res, repo, hookId, 'webhook events', '17.3');
    if (res.status !== 200 || !Array.isArray(res.body)) throw unexpected(target, res, 'the webhook events list');
    const next = Number(res.headers.get('x-next-page') ?? '');
    return { items: res.body.map(toGitLabDelivery), next: Number.isInteger(next) && next > number ? next : null };
  }

  return {
    async ping(repo, hookId) {
      const res = await call('POST', `${hookPath(repo, hookId)}/test/${TEST_TRIGGER}`);
      if (res.status === 201 || res.status === 200) return;
      if (res.status === 404) throw missing(res, repo, hookId, 'hook test', '16.11');
      if (res.status === 422) throw new ProviderError('validation', `GitLab would not send a test event: ${messageOf(res.body) ?? 'refused'} (HTTP 422).`, 422);
      throw unexpected(target, res, 'the hook test');
    },
    async deliveries(repo, hookId, { perPage, cursor }) {
      const { items, next } = await page(repo, hookId, cursor ? Number(cursor) : 1, perPage);
      return { items, nextCursor: next === null ? null : String(next) };
    },
    async payload(repo, hookId, deliveryId) {
      // Events carry their payload; there is no single-event route to ask.
      for (let n: number | null = 1; n !== null && n <= 10; ) {
        const { items, next } = await page(repo, hookId, n, 100);
        const found = items.find((d) => d.id === deliveryId);
        if (found) return found.payload ?? null;
        n = next;
      }
      return null;
    },
    async redeliver(repo, hookId, deliveryId) {
      const res = await call('POST', `${hookPath(repo, hookId)}/events/${encodeURIComponent(deliveryId)}/resend`);
      if (res.status === 201 || res.status === 200) return;
      if (res.status === 404) throw missing(res, repo, hookId, 'webhook event resend', '17.4');
      throw unexpected(target, res, `the resend of event ${deliveryId}`);
    },
  };
}
