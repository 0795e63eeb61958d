import type { DeliverySummary, InboxSummary } from '../../shared/types';
import type { Command } from './context';
import { answerFromOptions } from './inbox-respond-options';
import { answerText, timelineLine } from './inbox-text';
import { table, time } from './output';
import { integer, optional, positional, required } from './option-values';
import { UsageError } from './usage';

const describe = (inbox: InboxSummary) =>
  [
    `${inbox.name}  (${inbox.id})`,
    `  URL          ${inbox.url}[/any/path?query]`,
    `  dialect      ${inbox.dialect === 'none' ? 'none (captured without checking)' : inbox.dialect}`,
    `  tolerance    ${inbox.toleranceSeconds === null ? "the dialect's own" : `${inbox.toleranceSeconds} s`}`,
    `  captures     ${inbox.captures} (last ${time(inbox.lastCaptureAt)})`,
    `  answer       ${answerText(inbox.answer)}`,
    ...(inbox.previousSecretUntil !== null ? [`  rotation     the previous secret still verifies until ${time(inbox.previousSecretUntil)}`] : []),
  ].join('\n');

const captureRow = (d: DeliverySummary) => ({
  id: d.id,
  received: time(d.receivedAt),
  method: d.method,
  path: d.path || '/',
  verdict: d.verdict,
  status: d.statusCode,
  bytes: d.bodySize,
  reason: d.outcomeReason,
});

export const inboxCommands: Record<string, Command> = {
  async add(ctx) {
    const secret = optional(ctx, 'secret');
    const tolerance = integer(ctx, 'tolerance', 0, 30 * 86400);
    const created = await ctx.call('inboxes.add', {
      name: required(ctx, 'name'),
      dialect: required(ctx, 'dialect'),
      ...(secret !== undefined ? { secret } : {}),
      ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}),
    });
    ctx.out.data(created, () =>
      [
        `Inbox ${created.id} added.`,
        `URL:     ${created.url}  (any method; any path and query after it are kept)`,
        ...(created.secret === null ? ['Secret:  none: requests are captured without checking a signature.'] : [`Secret:  ${created.secret}`, '', 'The secret is shown this once. Give the sender the URL and the secret.']),
      ].join('\n'),
    );
  },
  async list(ctx) {
    const inboxes = await ctx.call('inboxes.list', {});
    ctx.out.data(inboxes, () =>
      table(
        inboxes.map((i) => ({ id: i.id, name: i.name, dialect: i.dialect, captures: i.captures, last: time(i.lastCaptureAt), url: i.url })),
        ['id', 'name', 'dialect', 'captures', 'last', 'url'],
      ),
    );
  },
  async show(ctx) {
    const inbox = await ctx.call('inboxes.get', { id: positional(ctx, 'inbox id') });
    ctx.out.data(inbox, () => describe(inbox));
  },
  async update(ctx) {
    const id = positional(ctx, 'inbox id');
    const name = optional(ctx, 'name');
    const raw = optional(ctx, 'tolerance');
    // "default" goes back to the dialect's own tolerance.
    const tolerance = raw === 'default' ? null : integer(ctx, 'tolerance', 0, 30 * 86400);
    if (name === undefined && tolerance === undefined) throw new UsageError('Nothing to change: give --name N and/or --tolerance SECONDS|default.');
    const updated = await ctx.call('inboxes.update', { id, ...(name !== undefined ? { name } : {}), ...(tolerance !== undefined ? { toleranceSeconds: tolerance } : {}) });
    ctx.out.data(updated, () => describe(updated));
  },
  async remove(ctx) {
    const id = positional(ctx, 'inbox id');
    const result = await ctx.call('inboxes.remove', { id });
    ctx.out.data({ id, ...result }, () => `Inbox ${id} removed, with its ${result.captures} capture${result.captures === 1 ? '' : 's'}.`);
  },
  async captures(ctx) {
    const limit = integer(ctx, 'limit', 1, 10_000) ?? 50;
    const captures = await ctx.call('inboxes.captures', { id: positional(ctx, 'inbox id'), limit });
    ctx.out.data(captures, () => table(captures.map(captureRow), ['id', 'received', 'method', 'path', 'verdict', 'status', 'bytes', 'reason']));
  },
  async respond(ctx) {
    const id = positional(ctx, 'inbox id');
    const answer = await ctx.call('inboxes.respond', { id, ...answerFromOptions(ctx) });
    ctx.out.data(answer, () => `Inbox ${id} now ${answerText(answer)}.`);
  },
  async timeline(ctx) {
    const eventId = optional(ctx, 'event-id');
    const limit = integer(ctx, 'limit', 1, 10_000) ?? 100;
    const entries = await ctx.call('inboxes.timeline', { id: positional(ctx, 'inbox id'), limit, ...(eventId !== undefined ? { eventId } : {}) });
    ctx.out.data(entries, () => (entries.length === 0 ? (eventId !== undefined ? `No capture of event ${eventId}.` : '(no events)') : entries.map(timelineLine).join('\n')));
  },
  async rotate(ctx) {
    const id = positional(ctx, 'inbox id');
    const secret = optional(ctx, 'secret');
    const overlap = integer(ctx, 'overlap', 0, 30 * 86400);
    const rotated = await ctx.call('inboxes.rotate', { id, ...(secret !== undefined ? { secret } : {}), ...(overlap !== undefined ? { overlapSeconds: overlap } : {}) });
    const until = (await ctx.call('inboxes.get', { id })).previousSecretUntil;
    ctx.out.data({ ...rotated, previousSecretUntil: until }, () =>
      [
        `Inbox ${id} has a new secret.`,
        `Secret:  ${rotated.secret}`,
        '',
        'The secret is shown this once. Give it to the sender.',
        until === null ? 'The previous secret no longer verifies.' : `The previous secret still verifies until ${time(until)}.`,
      ].join('\n'),
    );
  },
};
