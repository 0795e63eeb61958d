import { summarizeChecks } from '../../shared/release-text';
import type { ActivityEntry, DeliveryOutcome, Release } from '../../shared/types';
import type { Command } from './context';
import { time } from './output';
import { printList } from './paged-list';
import { withReveal } from './reveal';
import { optional, positional, required } from './option-values';
import { UsageError } from './usage';
import { describeForwards } from './inbox-forward-command';

const OUTCOMES: DeliveryOutcome[] = ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted'];


const releaseRow = (r: Release) => {
  const checks = summarizeChecks(r.checks);
  return {
    id: r.id,
    tag: r.tag,
    version: r.version,
    status: r.status,
    checks: checks.text,
    failed: checks.failed.map((c) => c.rule).join(',') || null,
    notes: checks.notes.map((c) => c.rule).join(',') || null,
    at: time(r.createdAt),
  };
};

export const releaseCommands: Record<string, Command> = {
  async list(ctx) {
    const packageId = required(ctx, 'package');
    await printList(ctx, {
      read: (cursor, limit) => ctx.call('releases.page', { packageId, cursor, limit }),
      row: releaseRow,
      columns: ['id', 'tag', 'version', 'status', 'checks', 'failed', 'notes', 'at'],
    });
  },
};

export const deliveryCommands: Record<string, Command> = {
  async list(ctx) {
    const outcome = optional(ctx, 'outcome');
    if (outcome !== undefined && !OUTCOMES.includes(outcome as DeliveryOutcome)) {
      throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')}.`);
    }
    const packageId = optional(ctx, 'package');
    const filter = { ...(packageId ? { packageId } : {}), ...(outcome ? { outcome: outcome as DeliveryOutcome } : {}) };
    await printList(ctx, {
      read: (cursor, limit) => ctx.call('deliveries.page', { ...filter, cursor, limit }),
      row: (d) => ({ ...d, at: time(d.receivedAt), reason: d.outcomeReason }),
      columns: ['id', 'at', 'event', 'tag', 'verdict', 'statusCode', 'outcome', 'reason'],
    });
  },
  async show(ctx) {
    const id = Number(positional(ctx, 'delivery id'));
    if (!Number.isInteger(id) || id < 1) throw new UsageError('Delivery id must be a positive whole number.');
    const d = await ctx.call('deliveries.get', { id });
    const { headers, note } = await withReveal(ctx, `delivery:${id}`, d.headers);
    d.headers = headers;
    // An inbox capture: what each forward target answered.
    const forwards = d.method ? (await ctx.call('captured.get', { ref: `delivery:${id}` })).forwards : [];
    const body = Buffer.from(d.bodyBase64, 'base64');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    const isText = Buffer.from(text, 'utf8').equals(body);
    ctx.out.data({ ...d, body: isText ? text : null, ...(d.method ? { forwards } : {}) }, () =>
      [
        `Delivery #${d.id}  ${time(d.receivedAt)}  via ${d.source}${d.remoteAddress ? ` from ${d.remoteAddress}` : ''}`,
        ...(d.method ? [`Request ${d.method} /in/${d.hookId}${d.path ?? ''}`] : []),
        // 0: no status was sent (an inbox holding the connection open, an import without one).
        `Answered ${d.statusCode === 0 ? 'nothing' : d.statusCode}; outcome ${d.outcome}${d.outcomeReason ? ` — ${d.outcomeReason}` : ''}`,
        `Signature ${d.verdict}${d.verdictDetail ? ` — ${d.verdictDetail.reason}` : ''}`,
        ...(d.verdictDetail?.expected ? [`  expected ${d.verdictDetail.expected}`, `  received ${d.verdictDetail.received ?? '(none)'}`] : []),
        '',
        ...d.headers.map(([k, v]) => `${k}: ${v}`),
        ...note,
        '',
        isText ? text : `(${body.length} bytes of binary; use --json for base64)`,
        ...(d.bodyTruncated ? ['', `(body truncated: the first ${body.length} of ${d.bodySize} bytes were kept; the request was refused)`] : []),
        ...(forwards.length ? ['', ...describeForwards(forwards)] : []),
      ].join('\n'),
    );
  },
};

export const activityCommand: Command = async (ctx) => {
  const packageId = optional(ctx, 'package');
  const live = new Set((await ctx.call('packages.list', {})).map((p) => p.id));
  /** Which package an entry is about, by name; one removed since says so. */
  const packageOf = (e: ActivityEntry) => (e.packageId === null ? null : live.has(e.packageId) ? (e.packageName ?? e.packageId) : `removed package ${e.packageName ?? e.packageId}`);
  await printList(ctx, {
    read: (cursor, limit) => ctx.call('activity.page', { ...(packageId ? { packageId } : {}), cursor, limit }),
    row: (e) => ({ ...e, at: time(e.at), package: packageOf(e) }),
    columns: ['at', 'kind', 'package', 'message'],
  });
};
