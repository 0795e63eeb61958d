import type { PruneReport, RetentionPolicyView } from '../../shared/retention-types';
import { describeLimits, VACUUM_TEXT } from '../../shared/retention-text';
import { size as bytes } from '../../shared/size';
import type { Command, CommandContext, CommandEngine } from './context';
import { integer, optional } from './option-values';
import { table } from './output';
import { UsageError } from './usage';

export function describePolicy(p: RetentionPolicyView): string {
  const lines = [`Global     ${describeLimits(p.global)}`];
  for (const o of p.overrides) lines.push(`${o.scope.padEnd(10)} ${o.name ?? '(removed)'} ${o.id}: ${describeLimits(o.effective)}`);
  lines.push(`Space      ${VACUUM_TEXT[p.vacuum]}`);
  return lines.join('\n');
}

export function describePrune(r: PruneReport): string {
  const rows = r.scopes.map((s) => ({ scope: s.scope, name: s.name ?? '(removed)', id: s.id, rows: s.rows, bytes: bytes(s.bytes), attempts: s.attempts || '', pinned: s.pinned || '' }));
  const head = r.dryRun ? 'The retention policy would remove:' : 'Removed:';
  const lines = [head, table(rows, ['scope', 'name', 'id', 'rows', 'bytes', 'attempts', 'pinned'])];
  lines.push(
    `In all: ${r.total.rows} deliveries and messages (${bytes(r.total.bytes)} of bodies)` +
      (r.total.attempts ? `, ${r.total.attempts} attempt logs` : '') +
      (r.total.pinned ? `; ${r.total.pinned} past the policy kept (marked keep, saved as a fixture, or linked to a release)` : '') +
      '.',
  );
  if (!r.dryRun) lines.push(r.freedBytes ? `${bytes(r.freedBytes)} given back to the volume.` : `Space: ${VACUUM_TEXT[r.vacuum]}.`);
  return lines.join('\n');
}

/** --package P | --inbox I | --endpoint E, at most one. */
function scopeOf(ctx: CommandContext): { scope: 'package' | 'inbox' | 'endpoint'; id: string } | null {
  const given = (['package', 'inbox', 'endpoint'] as const).map((scope) => ({ scope, id: optional(ctx, scope) })).filter((s) => s.id !== undefined);
  if (given.length > 1) throw new UsageError('Name one of --package, --inbox or --endpoint (or none, for the global policy).');
  const [one] = given;
  return one ? { scope: one.scope, id: one.id! } : null;
}

const show: Command = async (ctx) => {
  const policy = await ctx.call('retention.show', {});
  ctx.out.data(policy, () => describePolicy(policy));
};

const set: Command = async (ctx) => {
  const scope = scopeOf(ctx);
  const days = integer(ctx, 'days', 1, 100_000);
  const maxDeliveries = integer(ctx, 'max-deliveries', 1, 1_000_000_000);
  const maxMb = integer(ctx, 'max-mb', 1, 1_000_000_000);
  const forever = ctx.options.forever === true;
  const inherit = ctx.options.inherit === true;
  if (days === undefined && maxDeliveries === undefined && maxMb === undefined && !forever && !inherit) {
    throw new UsageError('retention set needs --days N, --max-deliveries N, --max-mb N, --forever or (with --package/--inbox/--endpoint) --inherit.');
  }
  const policy = await ctx.call('retention.set', {
    ...(scope ?? {}),
    ...(days !== undefined ? { days } : {}),
    ...(maxDeliveries !== undefined ? { maxDeliveries } : {}),
    ...(maxMb !== undefined ? { maxBytes: maxMb * 1024 ** 2 } : {}),
    forever,
    inherit,
  });
  ctx.out.data(policy, () => describePolicy(policy));
};

export const retentionCommands: Record<string, Command> = { show, set };

/**
 * prune [--dry-run]. Run from the command line while no other process has the data dir open,
 * it also converts an older database so the space comes back (see retention/vacuum.ts).
 */
export const pruneCommand =
  (engine: CommandEngine): Command =>
  async (ctx) => {
    const report = await ctx.call('retention.prune', { dryRun: ctx.options['dry-run'] === true });
    const conversion = report.dryRun ? null : engine.prepareVacuum();
    if (conversion?.converted) Object.assign(report, { freedBytes: report.freedBytes + conversion.freedBytes, vacuum: 'incremental' });
    ctx.out.data(report, () => describePrune(report) + (conversion?.reason ? `\nThe database was not converted to give space back: ${conversion.reason}.` : ''));
  };

/** delivery keep ID [--unkeep] */
export const keepCommand: Command = async (ctx) => {
  const [word, ...extra] = ctx.positionals;
  const id = Number(word);
  if (!word || extra.length || !Number.isInteger(id) || id < 1) throw new UsageError('delivery keep takes one delivery id (and --unkeep to undo).');
  const result = await ctx.call('deliveries.keep', { id, keep: ctx.options.unkeep !== true });
  ctx.out.data(result, () => (result.kept ? `Delivery #${id} is kept: retention never prunes it.` : `Delivery #${id} is no longer marked keep: the retention policy applies to it again.`));
};
