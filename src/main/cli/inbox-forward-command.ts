import type { InboxForwardResult, InboxForwardTarget } from '../../shared/inbox-types';
import type { Command } from './context';
import { retryOf } from './endpoint-commands';
import { many, optional, positional } from './option-values';
import { time } from './output';
import { UsageError } from './usage';

/** One line per target, for `inbox show` and after `inbox forward`. */
export const describeTargets = (targets: InboxForwardTarget[]): string[] =>
  targets.length === 0
    ? ['  forwards     none']
    : targets.map(
        (t, i) =>
          `${i === 0 ? '  forwards     ' : '               '}${t.url}` +
          `  events ${t.events.length ? t.events.join(',') : 'all'}` +
          (t.pathRewrite ? `  path ${t.pathRewrite}` : '') +
          (t.passBack ? '  pass-back' : '') +
          `  retries ${t.retrySeconds.join(', ')} s`,
      );

/** One paragraph per target a capture was forwarded to, for `delivery show`. */
export const describeForwards = (forwards: InboxForwardResult[]): string[] =>
  forwards.flatMap((f) => [
    `Forwarded to ${f.url}: ${f.state} after ${f.attempts} attempt${f.attempts === 1 ? '' : 's'}` +
      (f.status !== null ? `, answered ${f.status}` : '') +
      (f.durationMs !== null ? ` in ${f.durationMs} ms` : '') +
      (f.error ? ` — ${f.error}` : '') +
      (f.nextAttemptAt !== null ? `; next attempt ${time(f.nextAttemptAt)}` : ''),
    ...f.headers.map(([k, v]) => `  ${k}: ${v}`),
    ...(f.body ? [`  ${f.body.length > 2000 ? `${f.body.slice(0, 2000)}…` : f.body}`] : []),
  ]);

/** `inbox forward ID --to URL [--events a,b] [--path-rewrite FROM=>TO] [--pass-back] [--retry S,S…] | --remove URL`. */
export const forwardCommand: Command = async (ctx) => {
  const id = positional(ctx, 'inbox id');
  const to = optional(ctx, 'to');
  const remove = optional(ctx, 'remove');
  if ((to === undefined) === (remove === undefined)) throw new UsageError('Give --to URL to add (or change) a forward target, or --remove URL to take one away.');
  let targets: InboxForwardTarget[];
  if (remove !== undefined) {
    targets = await ctx.call('inboxes.forward', { id, url: remove, remove: true });
  } else {
    const pathRewrite = optional(ctx, 'path-rewrite');
    const retry = retryOf(ctx);
    const events = many(ctx, 'events');
    targets = await ctx.call('inboxes.forward', {
      id,
      url: to!,
      events,
      ...(pathRewrite !== undefined ? { pathRewrite } : {}),
      passBack: ctx.options['pass-back'] === true,
      ...(retry ? { retrySeconds: retry } : {}),
    });
  }
  ctx.out.data(targets, () => [remove !== undefined ? `${remove} removed.` : `Inbox ${id} forwards each capture to ${to}.`, ...describeTargets(targets)].join('\n'));
};
