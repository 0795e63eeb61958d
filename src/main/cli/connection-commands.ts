import type { CatchUpResult, ConnectionSummary, HookRotation, PackageConnected, PingResult, ProviderDeliveries, UpstreamCheck } from '../../shared/types';
import type { Command, CommandContext } from './context';
import { integer, optional, positional, required } from './option-values';
import { table, time } from './output';
import { UsageError } from './usage';

const providerOf = (ctx: CommandContext): 'github' | 'gitlab' => {
  const provider = required(ctx, 'provider');
  if (provider !== 'github' && provider !== 'gitlab') throw new UsageError('--provider must be github or gitlab.');
  return provider;
};

const describeConnection = (c: ConnectionSummary) =>
  [
    `${c.id}  ${c.provider} ${c.login}`,
    `  API          ${c.baseUrl}${c.serverVersion ? ` (server ${c.serverVersion})` : ''}`,
    `  scopes       ${c.scopes === null ? 'not listed by the provider' : c.scopes.join(', ') || 'none'}`,
    `  hooks        ${c.canManageHooks === null ? 'unknown until a package is added' : c.canManageHooks ? 'can manage' : 'cannot manage'}`,
    ...(c.expiresAt ? [`  expires      ${time(c.expiresAt)}`] : []),
    `  packages     ${c.packages}`,
  ].join('\n');

export const connectionCommands: Record<string, Command> = {
  async add(ctx) {
    // The environment keeps the token out of shell history and the process list.
    // With --server, HOOKBENCH_TOKEN is the token for that server, never the provider's.
    const token = optional(ctx, 'token') ?? (ctx.remote ? undefined : process.env.HOOKBENCH_TOKEN);
    if (!token) throw new UsageError(ctx.remote ? '--token is required (the provider token; HOOKBENCH_TOKEN is the server\'s with --server).' : '--token is required (or set HOOKBENCH_TOKEN).');
    const baseUrl = optional(ctx, 'base-url');
    const added = await ctx.call('connections.add', { provider: providerOf(ctx), token, ...(baseUrl ? { baseUrl } : {}) });
    ctx.out.data(added, () =>
      [`Connection ${added.id} added; the token is stored encrypted.`, describeConnection(added), ...added.warnings.map((w) => `Warning: ${w}`)].join('\n'),
    );
  },
  async list(ctx) {
    const list = await ctx.call('connections.list', {});
    ctx.out.data(list, () =>
      table(
        list.map((c) => ({ ...c, scopes: c.scopes?.join(',') ?? '(not listed)', hooks: c.canManageHooks === null ? '?' : c.canManageHooks ? 'yes' : 'no' })),
        ['id', 'provider', 'login', 'baseUrl', 'scopes', 'hooks', 'packages'],
      ),
    );
  },
  async remove(ctx) {
    const id = positional(ctx, 'connection id');
    const result = await ctx.call('connections.remove', { id });
    ctx.out.data({ id, ...result }, () =>
      [
        `Connection ${id} removed.`,
        ...(result.detachedPackages.length
          ? [`These packages keep their hooks but are no longer managed by Hookbench: ${result.detachedPackages.join(', ')}.`]
          : []),
      ].join('\n'),
    );
  },
};

function showRotation(ctx: CommandContext, r: HookRotation): void {
  if (!r.completed) process.exitCode = 1;
  ctx.out.data(r, () =>
    [
      r.completed ? `Package ${r.id}: secret rotated (${r.mode === 'upstream' ? 'hook re-created upstream' : 'paste it yourself'}).` : `Package ${r.id}: rotation stopped at ${r.stoppedAt}.`,
      r.message,
      `Hook URL:  ${r.hookUrl}`,
      ...(r.mode === 'manual' ? [`Secret:    ${r.secret}`, 'The secret is shown this once.'] : []),
    ].join('\n'),
  );
}

const deliveriesTable = (d: ProviderDeliveries) =>
  table(
    d.deliveries.map((x) => ({
      ...x,
      at: time(x.deliveredAt),
      redelivery: x.redelivery ? 'yes' : '',
      hookbench: x.hookbench ? `#${x.hookbench.id} ${x.hookbench.outcome}` : '(not received)',
    })),
    ['id', 'at', 'guid', 'event', 'statusCode', 'status', 'redelivery', 'hookbench'],
  );

const catchUpText = (r: CatchUpResult) =>
  [
    ...r.messages,
    ...r.redelivered.map((x) => `Redelivered ${x.event} ${x.guid}${x.tag ? ` (tag ${x.tag})` : ''}.`),
    ...r.notRedelivered.map((x) => `Not redelivered ${x.event} ${x.guid}: ${x.reason}`),
    ...r.reconciled.map((x) => `Reconciled tag ${x.tag} as delivery #${x.deliveryId}: ${x.outcome}${x.reason ? ` — ${x.reason}` : ''}`),
  ].join('\n');

/** Package verbs that work through the provider's API. */
export const providerPackageCommands: Record<string, Command> = {
  async rotate(ctx) {
    const connectionId = optional(ctx, 'connection');
    const overlapSeconds = integer(ctx, 'overlap', 0, 30 * 86400);
    showRotation(
      ctx,
      await ctx.call('packages.rotate', {
        id: positional(ctx, 'package id'),
        ...(connectionId ? { connectionId } : {}),
        ...(overlapSeconds !== undefined ? { overlapSeconds } : {}),
      }),
    );
  },
  async ping(ctx) {
    const wait = integer(ctx, 'wait', 0, 120);
    const result: PingResult = await ctx.call('packages.ping', { id: positional(ctx, 'package id'), ...(wait !== undefined ? { waitMs: wait * 1000 } : {}) });
    if (!result.verified) process.exitCode = 1;
    ctx.out.data(result, () => result.message);
  },
  async deliveries(ctx) {
    const limit = integer(ctx, 'limit', 1, 100);
    const cursor = optional(ctx, 'cursor');
    const result = await ctx.call('packages.providerDeliveries', {
      id: positional(ctx, 'package id'),
      ...(limit !== undefined ? { limit } : {}),
      ...(cursor ? { cursor } : {}),
    });
    ctx.out.data(result, () =>
      result.supported
        ? [deliveriesTable(result), ...(result.nextCursor ? [`Older: --cursor ${result.nextCursor}`] : [])].join('\n')
        : (result.message ?? 'Not supported.'),
    );
  },
  async 'catch-up'(ctx) {
    const result = await ctx.call('packages.catchUp', { id: positional(ctx, 'package id') });
    ctx.out.data(result, () => catchUpText(result));
  },
  async check(ctx) {
    const id = ctx.positionals[0];
    const results: UpstreamCheck[] = await ctx.call('packages.checkUpstream', id ? { id } : {});
    ctx.out.data(results, () =>
      results.length === 0
        ? 'No package has a hook managed upstream.'
        : table(
            results.map((r) => ({ ...r, result: r.checked ? (r.changed ? 'changed' : 'unchanged') : `not checked: ${r.error}`, reason: r.statusReason })),
            ['packageId', 'status', 'result', 'reason'],
          ),
    );
  },
};

/** `package add --connection C --repo OWNER/NAME`: the hook is created upstream. */
export async function addFromConnection(ctx: CommandContext): Promise<void> {
  const name = optional(ctx, 'name');
  const created: PackageConnected = await ctx.call('packages.addFromConnection', {
    connectionId: required(ctx, 'connection'),
    repo: required(ctx, 'repo'),
    ...(name ? { name } : {}),
  });
  // Saved either way; a missing hook is an error the user must see, never a quiet success.
  if (!created.registered) process.exitCode = 1;
  ctx.out.data(created, () =>
    [
      `Package ${created.id} added for ${created.repo} (repo id ${created.repoId}).`,
      `Hook URL:  ${created.hookUrl}`,
      created.registered
        ? `Hook ${created.hook.providerHookId} created upstream: ${created.hook.statusReason ?? ''}`
        : `No hook was created upstream. ${created.hook.statusReason ?? ''}`,
    ].join('\n'),
  );
}
