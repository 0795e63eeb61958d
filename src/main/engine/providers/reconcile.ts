/**
 * Tags the provider never announced (GitHub sends nothing when more than three tags are
 * pushed at once; a hook may have been down) are found through the tags API and fed to
 * ingest as tag-push deliveries, oldest version first so the checks compare them as if
 * they had arrived in order. The feed names each release that came this way.
 */
import semver from 'semver';
import type { CatchUpResult } from '../../../shared/types';
import { parseTag } from '../ingest/parse-tag';
import { providerName } from './base-url';
import type { ProviderContext } from './context';
import { waitForRow } from './hookbench-deliveries';
import type { Managed, Upstream } from './managed';
import { syntheticTagPush } from './synthetic-push';

/** Tags with a release (by status), and tags with a delivery still waiting for ingest. */
export async function knownTags(ctx: ProviderContext, packageId: string) {
  const released = new Map((await ctx.store.releasedTags(packageId)).map((r) => [r.tag, r]));
  const pending = new Set(await ctx.store.pendingTags(packageId));
  return {
    released,
    pending,
    /** Ingested and not deleted since: nothing to catch up. */
    ingested: (tag: string) => released.has(tag) && released.get(tag)!.status !== 'tag_deleted',
  };
}

export type Reconciliation = Pick<CatchUpResult, 'tagsSeen' | 'reconciled' | 'notSemver' | 'messages'>;

export async function reconcileTags(ctx: ProviderContext, m: Managed, up: Upstream, settleMs: number): Promise<Reconciliation> {
  const who = providerName(m.pkg.provider);
  const tags = await up.api.tags(m.repo);
  const known = await knownTags(ctx, m.pkg.id);
  const notSemver: string[] = [];
  const missing: { name: string; sha: string; version: string }[] = [];
  for (const tag of tags) {
    const parsed = parseTag(tag.name);
    if (!parsed.ok) notSemver.push(tag.name);
    else if (tag.sha && !known.ingested(tag.name) && !known.pending.has(tag.name)) missing.push({ name: tag.name, sha: tag.sha, version: parsed.version });
  }
  missing.sort((a, b) => semver.compare(a.version, b.version));

  const written: { tag: string; deliveryId: number }[] = [];
  for (const tag of missing) {
    // A tag deleted and pushed again needs a new delivery id; the old one was used for the first copy.
    const again = known.released.get(tag.name);
    const stored = await ctx.writer.write(syntheticTagPush(m, tag.name, tag.sha, ctx.now(), again ? `#${again.updatedAt}` : ''));
    written.push({ tag: tag.name, deliveryId: stored.summary.id });
  }
  await ctx.ingestIdle();
  // A running serve may be the one ingesting them: wait for the shared database to say so.
  const settled = async () => Promise.all(written.map(async (w) => (await ctx.store.deliveryOutcome(w.deliveryId))!));
  await waitForRow(async () => ((await settled()).every((d) => d.outcome !== 'pending') ? true : undefined), settleMs, ctx.pollMs, ctx.signal);

  const reconciled = (await settled()).map((d, i) => ({ tag: written[i]!.tag, deliveryId: d.id, outcome: d.outcome, releaseId: d.releaseId ?? null, reason: d.outcomeReason }));
  for (const r of reconciled) {
    if (r.outcome !== 'ingested') continue;
    const entry = await ctx.store.recordActivity({
      kind: 'reconciled',
      packageId: m.pkg.id,
      deliveryId: r.deliveryId,
      releaseId: r.releaseId,
      at: ctx.now(),
      message: `Release from tag ${r.tag} came from tag reconciliation: ${who} never delivered a push for it, so catch-up found it through the tags API (delivery #${r.deliveryId}).`,
    });
    ctx.publish({ type: 'activity', entry });
  }
  const messages = [
    `${tags.length} tag(s) on ${who}; ${missing.length} never delivered${missing.length ? `: ${missing.map((t) => t.name).join(', ')}` : ''}.`,
    ...(notSemver.length ? [`Not semver, so never ingested: ${notSemver.join(', ')}.`] : []),
  ];
  return { tagsSeen: tags.length, reconciled, notSemver, messages };
}
