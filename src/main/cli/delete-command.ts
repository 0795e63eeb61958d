import type { DeliveryDeletion, DeliveryOutcome } from '../../shared/types';
import type { Command, CommandContext } from './context';
import { optional, since } from './option-values';
import { UsageError } from './usage';

const OUTCOMES: DeliveryOutcome[] = ['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted'];

function ids(ctx: CommandContext): number[] | undefined {
  const words = ctx.positionals.flatMap((w) => w.split(',')).filter(Boolean);
  if (words.length === 0) return undefined;
  return words.map((w) => {
    const n = Number(w);
    if (!Number.isInteger(n) || n < 1) throw new UsageError(`"${w}" is not a delivery id (a positive whole number).`);
    return n;
  });
}

function describe(d: DeliveryDeletion): string {
  const verb = d.dryRun ? 'Would delete' : 'Deleted';
  const lines = [`${verb} ${d.deleted} of ${d.matched} matching deliveries.`];
  if (d.keptCount) {
    const listed = (what: string, list: number[]) => (list.length ? [`  ${what}: ${list.join(', ')}`] : []);
    lines.push(
      `${d.dryRun ? 'Would keep' : 'Kept'} ${d.keptCount} that a release or fixture links to (first ids shown); --include-linked deletes them too:`,
      ...listed('a release records it', d.keptForRelease),
      ...listed('a fixture was saved from it', d.keptForFixture),
    );
  }
  if (d.linkedDeleted) lines.push(`${d.linkedDeleted} of them were linked: their releases keep their data without the link; fixtures keep their own copy.`);
  return lines.join('\n');
}

/** delivery delete ID… | --package P --outcome O --before DATE [--since DATE] [--dry-run] [--include-linked] */
export const deleteCommand: Command = async (ctx) => {
  const outcome = optional(ctx, 'outcome');
  if (outcome !== undefined && !OUTCOMES.includes(outcome as DeliveryOutcome)) throw new UsageError(`--outcome must be one of ${OUTCOMES.join(', ')}.`);
  const packageId = optional(ctx, 'package');
  const picked = ids(ctx);
  const filter = {
    ...(packageId ? { packageId } : {}),
    ...(outcome ? { outcome: outcome as DeliveryOutcome } : {}),
    ...(optional(ctx, 'before') !== undefined ? { until: since(ctx, 'before') } : {}),
    ...(optional(ctx, 'since') !== undefined ? { since: since(ctx, 'since') } : {}),
  };
  if (!picked && Object.keys(filter).length === 0) throw new UsageError('delivery delete needs ids, or at least one of --package, --outcome, --before, --since.');
  const result = await ctx.call('deliveries.delete', {
    ...filter,
    ...(picked ? { ids: picked } : {}),
    dryRun: ctx.options['dry-run'] === true,
    includeLinked: ctx.options['include-linked'] === true,
  });
  ctx.out.data(result, () => describe(result));
};
