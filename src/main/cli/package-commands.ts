import { latestText } from '../../shared/release-text';
import type { PackageSummary } from '../../shared/types';
import type { Command } from './context';
import { table, time } from './output';
import { optional, positional, required } from './option-values';
import { UsageError } from './usage';
import { addFromConnection, providerPackageCommands } from './connection-commands';

const describe = (p: PackageSummary) =>
  [
    `${p.name}  (${p.id})`,
    `  provider     ${p.provider} ${p.repo} (repo id ${p.repoId})`,
    `  hook URL     ${p.hook.url}`,
    `  hook status  ${p.hook.status}${p.hook.statusReason ? ` — ${p.hook.statusReason}` : ''}`,
    `  verified     ${time(p.hook.verifiedAt)}`,
    `  latest       ${latestText(p.latest) ?? '-'}`,
    ...(p.connectionId ? [`  connection   ${p.connectionId} (upstream hook ${p.upstream?.providerHookId ?? 'none'})`] : []),
    ...(p.upstream?.rotationStep ? [`  rotation     stopped at ${p.upstream.rotationStep}: ${p.upstream.rotationError ?? ''}`] : []),
    ...(p.upstream?.previousSecretValid ? [`  old secret   still verifies${p.upstream.previousSecretExpiresAt ? ` until ${time(p.upstream.previousSecretExpiresAt)}` : ' until the new hook exists'}`] : []),
  ].join('\n');

export const packageCommands: Record<string, Command> = {
  ...providerPackageCommands,
  async add(ctx) {
    if (optional(ctx, 'connection') !== undefined) return addFromConnection(ctx);
    const provider = required(ctx, 'provider');
    if (provider !== 'github' && provider !== 'gitlab') throw new UsageError('--provider must be github or gitlab.');
    const name = optional(ctx, 'name');
    const created = await ctx.call('packages.add', {
      provider,
      repo: required(ctx, 'repo'),
      repoId: required(ctx, 'repo-id'),
      ...(typeof name === 'string' ? { name } : {}),
    });
    ctx.out.data(created, () =>
      [
        `Package ${created.id} added.`,
        `Hook URL:       ${created.hookUrl}`,
        `Secret:         ${created.secret}`,
        ...(provider === 'gitlab' ? [`Signing token:  ${created.signingToken}  (GitLab's optional signing token)`] : []),
        '',
        'The secret is shown this once. Paste the URL and secret into the repository webhook settings',
        provider === 'github' ? '(content type application/json, "Just the push event").' : '(trigger: Tag push events).',
      ].join('\n'),
    );
  },
  async list(ctx) {
    const packages = await ctx.call('packages.list', {});
    ctx.out.data(packages, () =>
      table(
        packages.map((p) => ({ id: p.id, name: p.name, provider: p.provider, repo: p.repo, hook: p.hook.status, latest: latestText(p.latest) })),
        ['id', 'name', 'provider', 'repo', 'hook', 'latest'],
      ),
    );
  },
  async show(ctx) {
    const pkg = await ctx.call('packages.get', { id: positional(ctx, 'package id') });
    ctx.out.data(pkg, () => describe(pkg));
  },
  async remove(ctx) {
    const id = positional(ctx, 'package id');
    const result = await ctx.call('packages.remove', { id });
    ctx.out.data({ id, ...result }, () => result.message);
  },
};
