import { readFileSync } from 'node:fs';
import type { AttemptView, EndpointSummary, MessageView } from '../../shared/types';
import type { Command, CommandContext } from './context';
import { printList } from './paged-list';
import { integer, many, optional, positional, required, since } from './option-values';
import { table, time } from './output';
import { UsageError } from './usage';

/** `--retry 10,100` (seconds), or `--retry default` for the dialect's own schedule. */
export function retryOf(ctx: CommandContext): number[] | null | undefined {
  const raw = optional(ctx, 'retry');
  if (raw === undefined) return undefined;
  if (raw === 'default') return null;
  const parts = raw.split(',').map((v) => v.trim());
  const delays = parts.map(Number);
  if (parts.some((p) => p === '') || delays.some((d) => !Number.isFinite(d) || d < 0)) throw new UsageError('--retry takes seconds separated by commas, e.g. 10,100, or "default".');
  return delays;
}

function relayOf(ctx: CommandContext) {
  const packageId = optional(ctx, 'relay-package');
  if (!packageId) {
    if (optional(ctx, 'relay-mode') !== undefined) throw new UsageError('--relay-mode goes with --relay-package P: give both.');
    return undefined;
  }
  const mode = optional(ctx, 'relay-mode') ?? 'original';
  if (mode !== 'original' && mode !== 'resign') throw new UsageError('--relay-mode must be original or resign.');
  return { packageId, mode: mode as 'original' | 'resign' };
}

function templateOf(ctx: CommandContext): string | undefined {
  const file = optional(ctx, 'template-file');
  if (file === undefined) return optional(ctx, 'template');
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`Cannot read --template-file ${file}: ${(error as NodeJS.ErrnoException).code === 'EISDIR' ? 'it is a directory' : (error as Error).message}`);
  }
}

/** A template given alone means the template format; with another format it would be ignored, so it is refused. */
function formatOf(ctx: CommandContext) {
  const template = templateOf(ctx);
  const format = optional(ctx, 'format') ?? (template !== undefined ? 'template' : undefined);
  if (format === undefined) return {};
  if (!['dialect', 'slack', 'discord', 'template'].includes(format)) throw new UsageError('--format must be dialect, slack, discord or template.');
  if (template !== undefined && format !== 'template') throw new UsageError(`--template and --template-file go with --format template, not ${format}.`);
  return { format: format as 'dialect' | 'slack' | 'discord' | 'template', ...(template !== undefined ? { template } : {}) };
}

function settings(ctx: CommandContext) {
  const events = many(ctx, 'events');
  const retryDelays = retryOf(ctx);
  const relay = relayOf(ctx);
  const maxInFlight = integer(ctx, 'max-in-flight', 1, 256);
  const timeoutMs = integer(ctx, 'timeout-ms', 100, 120_000);
  return {
    ...(optional(ctx, 'name') !== undefined ? { name: optional(ctx, 'name')! } : {}),
    ...(optional(ctx, 'url') !== undefined ? { url: optional(ctx, 'url')! } : {}),
    ...(optional(ctx, 'dialect') !== undefined ? { dialect: optional(ctx, 'dialect')! } : {}),
    ...(events.length ? { events } : {}),
    ...(retryDelays !== undefined ? { retryDelays } : {}),
    ...(relay ? { relay } : {}),
    ...(maxInFlight !== undefined ? { maxInFlight } : {}),
    ...(timeoutMs !== undefined ? { timeoutMs } : {}),
    ...formatOf(ctx),
  };
}

/** What happens to a disabled endpoint's messages: they are kept, not dropped. */
export const waitingNote = (e: EndpointSummary) =>
  `${e.stats.pendingMessages} message(s) wait; new events keep queuing and are sent once you run "hookbench endpoint enable ${e.id}".`;

const describe = (e: EndpointSummary) =>
  [
    `${e.name}  (${e.id})  ${e.active ? 'active' : `disabled — ${e.disabledReason ?? ''}`}`,
    `  url         ${e.url}`,
    `  dialect     ${e.dialect}${e.format === 'dialect' ? '' : ` (body: ${e.format} message)`}`,
    `  events      ${e.events.join(', ')}`,
    `  retries     ${e.effectiveRetryDelays.join(', ')} s${e.retryDelays ? '' : ' (dialect default)'}`,
    `  in flight   at most ${e.maxInFlight}; timeout ${e.timeoutMs} ms`,
    `  attempts    ${e.stats.attempts} (${e.stats.succeeded} succeeded); ${e.stats.failedMessages} failed, ${e.stats.pendingMessages} pending messages`,
    ...(e.active ? [] : [`  waiting     ${waitingNote(e)}`]),
    ...(e.relay ? [`  relay       package ${e.relay.packageId} (${e.relay.mode} headers)`] : []),
    ...(e.rotatingUntil ? [`  rotating    old secret still signs until ${time(e.rotatingUntil)}`] : []),
  ].join('\n');

const attemptRow = (a: AttemptView) => ({
  ...a,
  at: time(a.startedAt),
  ms: a.durationMs,
  result: (a.succeeded ? 'ok' : (a.error ?? 'failed')) + (a.responseTruncated ? '; response cut at 64 KiB' : ''),
});
const ATTEMPT_COLUMNS = ['id', 'at', 'messageId', 'attemptNo', 'trigger', 'status', 'ms', 'result'];
const attemptsTable = (attempts: AttemptView[]) => table(attempts.map(attemptRow), ATTEMPT_COLUMNS);

const showSecret = (ctx: CommandContext, value: { id: string; secret: string; previousSecretValidUntil?: number | null }, rotated = false) =>
  ctx.out.data(value, () =>
    [
      `Endpoint ${value.id}`,
      `Secret: ${value.secret}`,
      ...(value.previousSecretValidUntil
        ? [`Both secrets sign each message until ${time(value.previousSecretValidUntil)}; then only the new one.`]
        : rotated
          ? ['This dialect carries one signature: the new secret signs from now on.']
          : []),
      'The secret is shown this once; give it to the receiving service now.',
    ].join('\n'),
  );

export const endpointCommands: Record<string, Command> = {
  async add(ctx) {
    const s = settings(ctx);
    if (!s.events) throw new UsageError('--events is required: at least one event, e.g. --events release.published');
    const secret = optional(ctx, 'secret');
    showSecret(
      ctx,
      await ctx.call('endpoints.add', {
        name: required(ctx, 'name'),
        url: required(ctx, 'url'),
        dialect: required(ctx, 'dialect'),
        ...s,
        events: s.events,
        ...(secret ? { secret } : {}),
      }),
    );
  },
  async list(ctx) {
    const list = await ctx.call('endpoints.list', {});
    ctx.out.data(list, () =>
      table(
        list.map((e) => ({ ...e, state: e.active ? 'active' : 'disabled', events: e.events.join(','), ok: `${e.stats.succeeded}/${e.stats.attempts}` })),
        ['id', 'name', 'dialect', 'state', 'url', 'events', 'ok'],
      ),
    );
  },
  async show(ctx) {
    const e = await ctx.call('endpoints.get', { id: positional(ctx, 'endpoint id') });
    ctx.out.data(e, () => describe(e));
  },
  async update(ctx) {
    if (optional(ctx, 'secret') !== undefined) throw new UsageError('An endpoint\'s secret changes with "endpoint rotate-secret ID [--secret S]", which keeps the old one valid for an overlap.');
    const e = await ctx.call('endpoints.update', { id: positional(ctx, 'endpoint id'), ...settings(ctx) });
    ctx.out.data(e, () => describe(e));
  },
  async remove(ctx) {
    const id = positional(ctx, 'endpoint id');
    ctx.out.data({ id, ...(await ctx.call('endpoints.remove', { id })) }, () => `Endpoint ${id} removed.`);
  },
  async enable(ctx) {
    const e = await ctx.call('endpoints.enable', { id: positional(ctx, 'endpoint id') });
    const waiting = e.stats.pendingMessages
      ? `\n\n${e.stats.pendingMessages} waiting message(s) go out now, oldest first: a running "hookbench serve" sends them (if none runs, the next one does).`
      : '';
    ctx.out.data(e, () => describe(e) + waiting);
  },
  async disable(ctx) {
    const reason = optional(ctx, 'reason');
    const e = await ctx.call('endpoints.disable', { id: positional(ctx, 'endpoint id'), ...(reason ? { reason } : {}) });
    ctx.out.data(e, () => describe(e));
  },
  async 'rotate-secret'(ctx) {
    const secret = optional(ctx, 'secret');
    const overlapSeconds = integer(ctx, 'overlap', 0, 30 * 86400);
    showSecret(
      ctx,
      await ctx.call('endpoints.rotateSecret', {
        id: positional(ctx, 'endpoint id'),
        ...(secret ? { secret } : {}),
        ...(overlapSeconds !== undefined ? { overlapSeconds } : {}),
      }),
      true,
    );
  },
  async attempts(ctx) {
    const id = positional(ctx, 'endpoint id');
    await printList(ctx, { read: (cursor, limit) => ctx.call('endpoints.attemptsPage', { id, cursor, limit }), row: attemptRow, columns: ATTEMPT_COLUMNS });
  },
  async messages(ctx) {
    const id = positional(ctx, 'endpoint id');
    const { active } = await ctx.call('endpoints.get', { id });
    // A disabled endpoint's pending messages have no next attempt: they wait for "endpoint enable".
    const waiting = (m: MessageView) => !active && m.state === 'pending';
    await printList(ctx, {
      read: (cursor, limit) => ctx.call('endpoints.messagesPage', { id, cursor, limit }),
      row: (m) => ({ ...m, state: waiting(m) ? 'waiting: endpoint disabled' : m.state, next: waiting(m) ? '-' : time(m.nextAttemptAt) }),
      columns: ['id', 'messageId', 'event', 'source', 'state', 'attemptCount', 'lastStatus', 'next'],
    });
  },
  async 'resend-failed'(ctx) {
    const id = positional(ctx, 'endpoint id');
    const result = await ctx.call('endpoints.resendFailed', { id, since: since(ctx, 'since') });
    const endpoint = await ctx.call('endpoints.get', { id });
    const when = endpoint.active
      ? 'a running serve sends them within a second.'
      : `the endpoint is disabled (${endpoint.disabledReason ?? 'by hand'}), so they wait until "hookbench endpoint enable ${id}".`;
    ctx.out.data(result, () => `${result.resent} failed message(s) queued again; ${when}`);
  },
};

export { attemptsTable };
