import { and, eq, sql } from 'drizzle-orm';
import type { PushEvent } from '../../../shared/contract';
import type { DeliveryOutcome, EngineEvent } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import { deliveries, packages, releaseChecks, releases } from '../db/schema';
import { enqueueEngineEvent } from '../outbound/enqueue';
import { decodePayload, readTagPush } from '../receiver/payload';
import { packageData } from '../store/packages';
import { recordActivity, type NewActivity } from '../store/activity';
import { toDeliverySummary, toRelease } from '../store/rows';
import { blocks, runChecks } from './checks';
import { parseTag } from './parse-tag';
import { createReleaseIndex, type ReleaseIndex } from './release-index';

interface Outcome {
  outcome: DeliveryOutcome;
  reason: string;
  releaseId: number | null;
  activity: NewActivity[];
  /** What endpoints subscribed to release events hear about. */
  engineEvent?: EngineEvent;
}

function checkAndSave(tx: Queryable, index: ReleaseIndex, packageId: string, tag: string, version: string, releaseId: number): { failed: boolean; summary: string } {
  const results = runChecks(index.context(packageId, tag, version));
  tx.delete(releaseChecks).where(eq(releaseChecks.releaseId, releaseId)).run();
  for (const r of results) tx.insert(releaseChecks).values({ releaseId, ...r }).run();
  const failed = blocks(results);
  tx.update(releases)
    .set({ status: failed ? 'checks_failed' : 'published', updatedAt: Date.now() })
    .where(eq(releases.id, releaseId))
    .run();
  if (!failed) index.published(packageId, { tag, version });
  const failures = results.filter((r) => !r.passed && r.severity === 'blocking').map((r) => `${r.rule}: ${r.detail}`);
  return { failed, summary: failures.join(' ') };
}

function decide(tx: Queryable, index: ReleaseIndex, delivery: typeof deliveries.$inferSelect): Outcome {
  const pkg = delivery.packageId
    ? tx.select().from(packages).where(eq(packages.id, delivery.packageId)).get()
    : undefined;
  if (!pkg) {
    return { outcome: 'skipped', reason: 'The package was removed before this delivery was ingested.', releaseId: null, activity: [] };
  }
  const decoded = decodePayload(delivery.contentType ?? undefined, delivery.body);
  const push = decoded.ok ? readTagPush(pkg.provider, decoded.payload) : null;
  if (!push) {
    return { outcome: 'skipped', reason: 'Stored body is no longer a tag push.', releaseId: null, activity: [] };
  }
  const at = Date.now();
  const base = { packageId: pkg.id, deliveryId: delivery.id, at };
  const existing = tx
    .select()
    .from(releases)
    .where(and(eq(releases.packageId, pkg.id), eq(releases.tag, push.tag)))
    .get();

  if (push.deleted) {
    if (!existing) {
      const reason = `Tag ${push.tag} was deleted upstream; no release was ever ingested for it.`;
      return { outcome: 'tag_deleted', reason, releaseId: null, activity: [{ ...base, kind: 'tag_deleted', message: reason }] };
    }
    tx.update(releases).set({ status: 'tag_deleted', updatedAt: at }).where(eq(releases.id, existing.id)).run();
    index.forget(pkg.id);
    const reason = `Tag ${push.tag} was deleted upstream; release ${existing.version} is marked tag-deleted and nothing was removed.`;
    return {
      outcome: 'tag_deleted',
      reason,
      releaseId: existing.id,
      activity: [{ ...base, releaseId: existing.id, kind: 'tag_deleted', message: reason }],
      engineEvent: 'release.tag_deleted',
    };
  }

  const parsed = parseTag(push.tag);
  if (!parsed.ok) {
    return { outcome: 'skipped', reason: parsed.reason, releaseId: null, activity: [{ ...base, kind: 'skipped', message: parsed.reason }] };
  }
  if (existing && existing.status !== 'tag_deleted') {
    const reason = `Tag ${push.tag} was already ingested (release #${existing.id}); nothing changed.`;
    return { outcome: 'skipped', reason, releaseId: existing.id, activity: [{ ...base, releaseId: existing.id, kind: 'already_ingested', message: reason }] };
  }

  const releaseId = existing
    ? (tx.update(releases)
        .set({ commitSha: push.commitSha, deliveryId: delivery.id, updatedAt: at })
        .where(eq(releases.id, existing.id))
        .run(),
      existing.id)
    : tx
        .insert(releases)
        .values({
          packageId: pkg.id,
          tag: push.tag,
          version: parsed.version,
          prerelease: parsed.prerelease.length > 0,
          commitSha: push.commitSha,
          status: 'published',
          deliveryId: delivery.id,
          createdAt: at,
          updatedAt: at,
        })
        .returning({ id: releases.id })
        .get().id;
  const { failed, summary } = checkAndSave(tx, index, pkg.id, push.tag, parsed.version, releaseId);
  const recreated = existing ? ' (tag re-created after deletion)' : '';
  const ingested: NewActivity = {
    ...base,
    releaseId,
    kind: 'ingested',
    message: failed
      ? `Release ${parsed.version} ingested from tag ${push.tag}${recreated}, but not published: checks failed.`
      : `Release ${parsed.version} ingested from tag ${push.tag}${recreated} and published.`,
  };
  const activity = [ingested];
  if (failed) activity.push({ ...base, releaseId, kind: 'checks_failed', message: `Release ${parsed.version} failed checks: ${summary}` });
  return {
    outcome: 'ingested',
    reason: failed ? `Release ${parsed.version} created; checks failed, not published.` : `Release ${parsed.version} published.`,
    releaseId,
    activity,
    engineEvent: failed ? 'release.checks_failed' : 'release.published',
  };
}

/**
 * Ingests stored deliveries, each with its outcome, release, activity and outbound
 * messages written together: a crash leaves a delivery either pending or done, never
 * done twice. Several share one transaction (and one fsync).
 */
export function createIngester(db: Db) {
  const index = createReleaseIndex(db);
  const pendingById = db
    .select()
    .from(deliveries)
    .where(and(eq(deliveries.id, sql.placeholder('id')), eq(deliveries.outcome, 'pending')))
    .prepare();

  function ingestOne(tx: Queryable, deliveryId: number, events: PushEvent[]): void {
    const delivery = pendingById.get({ id: deliveryId });
    if (!delivery) return;
    const result = decide(tx, index, delivery);
    const updated = tx
      .update(deliveries)
      .set({ outcome: result.outcome, outcomeReason: result.reason, releaseId: result.releaseId })
      .where(eq(deliveries.id, deliveryId))
      .returning()
      .get();
    events.push({ type: 'delivery', delivery: toDeliverySummary(updated) });
    if (result.releaseId !== null) {
      const row = tx.select().from(releases).where(eq(releases.id, result.releaseId)).get()!;
      const release = toRelease(row, tx.select().from(releaseChecks).where(eq(releaseChecks.releaseId, row.id)).all());
      events.push({ type: 'release', release });
      if (result.engineEvent) enqueueEngineEvent(tx, result.engineEvent, { package: packageData(tx, release.packageId), release });
    }
    for (const a of result.activity) events.push({ type: 'activity', entry: recordActivity(tx, a) });
  }

  return (deliveryIds: number[]): PushEvent[] => {
    const events: PushEvent[] = [];
    try {
      db.transaction((tx) => {
        for (const id of deliveryIds) ingestOne(tx, id, events);
      }, { behavior: 'immediate' });
    } catch (error) {
      index.forget();
      throw error;
    }
    return events;
  };
}

export type Ingester = ReturnType<typeof createIngester>;
