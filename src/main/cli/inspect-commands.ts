import { summarizeChecks } from '../../shared/release-text';
import type { ActivityEntry, DeliveryOutcome } from '../../shared/types';
import type { Command, CommandContext } from './context';
import { table, time } from './output';
import { withReveal } from './reveal';
import { integer, optional, positional, required } from './option-values';
import { UsageError } from './usage';

const OUTCOMES: DeliveryOutcome[] = ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted'];

export const limitOf = (ctx: CommandContext): number => integer(ctx, 'limit', 1, 10_000) ?? 100;

export const releaseCommands: Record<string, Command> = {
  async list(ctx) {
    const releases = await ctx.call('releases.list', { packageId: required(ctx, 'package') });
    ctx.out.data(releases, () =>
      table(
        releases.map((r) => {
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
        }),
        ['id', 'tag', 'version', 'status', 'checks', 'failed', 'notes', 'at'],
      ),
    );
  },
};

export const deliveryCommands: Record<string, Command> = {
  async list(ctx) {
    const outcome = optional(ctx, 'outcome');
    if (outcome !== undefined && !OUTCOMES.includes(outcome as DeliveryOutcome)) {
      throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')}.`);
    }
    const packageId = optional(ctx, 'package');
    const deliveries = await ctx.call('deliveries.list', {
      limit: limitOf(ctx),
      ...(packageId ? { packageId } : {}),
      ...(outcome ? { outcome: outcome as DeliveryOutcome } : {}),
    });
    ctx.out.data(deliveries, () =>
      table(
        deliveries.map((d) => ({ ...d, at: time(d.receivedAt), reason: d.outcomeReason })),
        ['id', 'at', 'event', 'tag', 'verdict', 'statusCode', 'outcome', 'reason'],
      ),
    );
  },
  async show(ctx) {
    const id = Number(positional(ctx, 'delivery id'));
    if (!Number.isInteger(id) || id < 1) throw new UsageError('Delivery id must be a positive whole number.');
    const d = await ctx.call('deliveries.get', { id });
    const { headers, note } = await withReveal(ctx, `delivery:${id}`, d.headers);
    d.headers = headers;
    const body = Buffer.from(d.bodyBase64, 'base64');
    const text = new TextDecoder('utf-8', { fatal: false }).decode(body);
    const isText = Buffer.from(text, 'utf8').equals(body);
    ctx.out.data({ ...d, body: isText ? text : null }, () =>
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
      ].join('\n'),
    );
  },
};

export const activityCommand: Command = async (ctx) => {
  const packageId = optional(ctx, 'package');
  const entries = await ctx.call('activity.list', { limit: limitOf(ctx), ...(packageId ? { packageId } : {}) });
  const live = new Set((await ctx.call('packages.list', {})).map((p) => p.id));
  /** Which package an entry is about, by name; one removed since says so. */
  const packageOf = (e: ActivityEntry) => (e.packageId === null ? null : live.has(e.packageId) ? (e.packageName ?? e.packageId) : `removed package ${e.packageName ?? e.packageId}`);
  ctx.out.data(entries, () =>
    table(entries.map((e) => ({ ...e, at: time(e.at), package: packageOf(e) })), ['at', 'kind', 'package', 'message']),
  );
};
