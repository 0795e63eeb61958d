import type { PushEvent } from '../../../shared/contract';
import type { CheckResult, DeliveryOutcome, EngineEvent, Release } from '../../../shared/types';
import type { Db, Queryable } from '../db/open';
import type { deliveries, packages, releases } from '../db/schema';
import { unsyncedTransaction } from '../db/unsynced-transaction';
import { derivedMessageId, enqueueEngineEvent } from '../outbound/enqueue';
import { decodePayload, readTagPush } from '../receiver/payload';
import { packageData } from '../store/packages';
import { activityValues, type NewActivity } from '../store/activity';
import { toActivity, toDeliverySummary, toRelease } from '../store/rows';
import { blocks, runChecks } from './checks';
import { parseTag } from './parse-tag';
import { createReleaseIndex, type ReleaseIndex } from './release-index';
import { prepareIngestStatements, type IngestStatements } from './statements';

interface Outcome {
  outcome: DeliveryOutcome;
  reason: string;
  releaseId: number | null;
  /** The release as written, when this delivery created or changed one. */
  release?: Release;
  activity: NewActivity[];
  /** What endpoints subscribed to release events hear about. */
  engineEvent?: EngineEvent;
}

interface Deps {
  index: ReleaseIndex;
  q: IngestStatements;
  /** The delivery's package, read once per batch (a burst is usually one package's). */
  packageOf: (id: string) => typeof packages.$inferSelect | undefined;
}

/** Runs the rules before anything is written, so the release is stored once with its final status. */
function check({ index }: Deps, packageId: string, tag: string, version: string): { results: CheckResult[]; failed: boolean; summary: string } {
  const results = runChecks(index.context(packageId, tag, version));
  const failed = blocks(results);
  const failures = results.filter((r) => !r.passed && r.severity === 'blocking').map((r) => `${r.rule}: ${r.detail}`);
  return { results, failed, summary: failures.join(' ') };
}

function saveChecks({ q }: Deps, releaseId: number, results: CheckResult[]): void {
  q.insertChecks(results.map((r) => ({ releaseId, rule: r.rule, severity: r.severity, passed: r.passed, detail: r.detail })));
}

function decide(deps: Deps, delivery: typeof deliveries.$inferSelect): Outcome {
  const { index, q } = deps;
  const pkg = delivery.packageId ? deps.packageOf(delivery.packageId) : undefined;
  if (!pkg) {
    if (delivery.packageId) index.forget(delivery.packageId);
    return { outcome: 'skipped', reason: 'The package was removed before this delivery was ingested.', releaseId: null, activity: [] };
  }
  const decoded = decodePayload(delivery.contentType ?? undefined, delivery.body);
  const push = decoded.ok ? readTagPush(pkg.provider, decoded.payload) : null;
  if (!push) {
    return { outcome: 'skipped', reason: 'Stored body is no longer a tag push.', releaseId: null, activity: [] };
  }
  const at = Date.now();
  const base = { packageId: pkg.id, packageName: pkg.name, deliveryId: delivery.id, at };
  const existing = q.releaseByTag({ packageId: pkg.id, tag: push.tag });

  if (push.deleted) {
    if (!existing) {
      const reason = `Tag ${push.tag} was deleted upstream; no release was ever ingested for it.`;
      return { outcome: 'tag_deleted', reason, releaseId: null, activity: [{ ...base, kind: 'tag_deleted', message: reason }] };
    }
    q.markTagDeleted({ id: existing.id, status: 'tag_deleted', updatedAt: at });
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

  const { results, failed, summary } = check(deps, pkg.id, push.tag, parsed.version);
  const status = failed ? 'checks_failed' : 'published';
  let row: typeof releases.$inferSelect;
  if (existing) {
    q.recreateRelease({ id: existing.id, commitSha: push.commitSha, deliveryId: delivery.id, status, updatedAt: at });
    q.clearChecks({ releaseId: existing.id });
    row = q.releaseById({ id: existing.id })!;
  } else {
    row = q.insertRelease({
      packageId: pkg.id,
      tag: push.tag,
      version: parsed.version,
      prerelease: parsed.prerelease.length > 0,
      commitSha: push.commitSha,
      status,
      deliveryId: delivery.id,
      createdAt: at,
      updatedAt: at,
    });
  }
  const releaseId = row.id;
  saveChecks(deps, releaseId, results);
  if (!failed) index.published(pkg.id, { tag: push.tag, version: parsed.version });
  const release = toRelease(row, results);
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
    release,
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
  const q = prepareIngestStatements(db.$client);
  const index = createReleaseIndex(db.$client);
  /** Packages read in the transaction under way; cleared with each, so a removal is seen by the next. */
  const packagesRead = new Map<string, typeof packages.$inferSelect | undefined>();
  const packageOf = (id: string) => {
    if (!packagesRead.has(id)) packagesRead.set(id, q.packageById({ id }));
    return packagesRead.get(id);
  };
  const deps: Deps = { index, q, packageOf };

  const releaseNow = (id: number) => {
    return toRelease(q.releaseById({ id })!, q.checksOf({ releaseId: id }));
  };

  function ingestOne(tx: Queryable, deliveryId: number, events: PushEvent[]): void {
    const delivery = q.pendingDelivery({ id: deliveryId });
    if (!delivery) return;
    const result = decide(deps, delivery);
    q.settleDelivery({ id: deliveryId, outcome: result.outcome, outcomeReason: result.reason, releaseId: result.releaseId });
    events.push({ type: 'delivery', delivery: toDeliverySummary({ ...delivery, outcome: result.outcome, outcomeReason: result.reason, releaseId: result.releaseId }) });
    if (result.releaseId !== null) {
      const release = result.release ?? releaseNow(result.releaseId);
      events.push({ type: 'release', release });
      const engineEvent = result.engineEvent;
      if (engineEvent) {
        // Derived from the delivery, so a redo after a power cut sends the same message id.
        const messageId = () => derivedMessageId(engineEvent, delivery.id);
        enqueueEngineEvent(tx, engineEvent, () => ({ package: packageData(tx, release.packageId), release }), Date.now(), messageId);
      }
    }
    for (const a of result.activity) events.push({ type: 'activity', entry: toActivity(q.insertActivity(activityValues(a))) });
  }

  /** Ingests in order until the ids run out or the time budget does; the rest stay pending. */
  return (deliveryIds: number[], budgetMs = Number.POSITIVE_INFINITY): PushEvent[] => {
    const events: PushEvent[] = [];
    const started = performance.now();
    packagesRead.clear();
    try {
      unsyncedTransaction(db, () => {
        index.sync();
        for (const id of deliveryIds) {
          ingestOne(db, id, events);
          if (performance.now() - started > budgetMs) break;
        }
      });
    } catch (error) {
      index.forget();
      throw error;
    }
    return events;
  };
}

export type Ingester = ReturnType<typeof createIngester>;
