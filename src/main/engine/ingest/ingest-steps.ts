import type { PushEvent } from '../../../shared/contract';
import type { CheckResult, DeliveryOutcome, EngineEvent, Release } from '../../../shared/types';
import { decodePayload, readTagPush } from '../receiver/payload';
import { activityValues, type NewActivity } from '../store/activity';
import { toActivity, toDeliverySummary, toRelease } from '../store/rows';
import { blocks, runChecks } from './checks';
import { ask, type DeliveryRow, type IngestSteps, type ReleaseRow } from './ingest-ops';
import { parseTag } from './parse-tag';

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

/** Runs the rules before anything is written, so the release is stored once with its final status. */
function* check(packageId: string, tag: string, version: string): IngestSteps<{ results: CheckResult[]; failed: boolean; summary: string }> {
  const results = runChecks(yield* ask('checkContext', packageId, tag, version));
  const failed = blocks(results);
  const failures = results.filter((r) => !r.passed && r.severity === 'blocking').map((r) => `${r.rule}: ${r.detail}`);
  return { results, failed, summary: failures.join(' ') };
}

function* decide(delivery: DeliveryRow): IngestSteps<Outcome> {
  const pkg = delivery.packageId ? yield* ask('packageById', delivery.packageId) : undefined;
  if (!pkg) {
    if (delivery.packageId) yield* ask('forget', delivery.packageId);
    return { outcome: 'skipped', reason: 'The package was removed before this delivery was ingested.', releaseId: null, activity: [] };
  }
  const decoded = decodePayload(delivery.contentType ?? undefined, delivery.body);
  const push = decoded.ok ? readTagPush(pkg.provider, decoded.payload) : null;
  if (!push) {
    return { outcome: 'skipped', reason: 'Stored body is no longer a tag push.', releaseId: null, activity: [] };
  }
  const at = Date.now();
  const base = { packageId: pkg.id, packageName: pkg.name, deliveryId: delivery.id, at };
  const existing = yield* ask('releaseByTag', pkg.id, push.tag);

  if (push.deleted) {
    if (!existing) {
      const reason = `Tag ${push.tag} was deleted upstream; no release was ever ingested for it.`;
      return { outcome: 'tag_deleted', reason, releaseId: null, activity: [{ ...base, kind: 'tag_deleted', message: reason }] };
    }
    yield* ask('markTagDeleted', existing.id, at);
    yield* ask('forget', pkg.id);
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
  const alreadyIngested = (release: ReleaseRow): Outcome => {
    const reason = `Tag ${push.tag} was already ingested (release #${release.id}); nothing changed.`;
    return { outcome: 'skipped', reason, releaseId: release.id, activity: [{ ...base, releaseId: release.id, kind: 'already_ingested', message: reason }] };
  };
  if (existing && existing.status !== 'tag_deleted') return alreadyIngested(existing);

  const { results, failed, summary } = yield* check(pkg.id, push.tag, parsed.version);
  const status = failed ? 'checks_failed' : 'published';
  let row: ReleaseRow;
  if (existing) {
    yield* ask('recreateRelease', { id: existing.id, commitSha: push.commitSha, deliveryId: delivery.id, status, updatedAt: at });
    yield* ask('clearChecks', existing.id);
    row = (yield* ask('releaseById', existing.id))!;
  } else {
    const inserted = yield* ask('insertRelease', {
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
    // Another process ingested a push of the same tag meanwhile: the (package, tag) constraint keeps one release.
    if (!inserted) return alreadyIngested((yield* ask('releaseByTag', pkg.id, push.tag))!);
    row = inserted;
  }
  const releaseId = row.id;
  yield* ask('insertChecks', results.map((r) => ({ releaseId, rule: r.rule, severity: r.severity, passed: r.passed, detail: r.detail })));
  if (!failed) yield* ask('published', pkg.id, { tag: push.tag, version: parsed.version });
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
 * Ingests one pending delivery: its outcome, release, checks, activity and the outbound
 * messages it makes, as steps a store runs in its transaction (see ingest-ops.ts). Pushes the
 * events to publish once that transaction commits.
 */
export function* ingestSteps(delivery: DeliveryRow, events: PushEvent[]): IngestSteps<void> {
  const result = yield* decide(delivery);
  yield* ask('settleDelivery', { id: delivery.id, outcome: result.outcome, outcomeReason: result.reason, releaseId: result.releaseId });
  events.push({ type: 'delivery', delivery: toDeliverySummary({ ...delivery, outcome: result.outcome, outcomeReason: result.reason, releaseId: result.releaseId }) });
  if (result.releaseId !== null) {
    const release = result.release ?? toRelease((yield* ask('releaseById', result.releaseId))!, yield* ask('checksOf', result.releaseId));
    events.push({ type: 'release', release });
    // Derived from the delivery, so a redo after a power cut sends the same message id.
    if (result.engineEvent) yield* ask('enqueueEngineEvent', result.engineEvent, release, delivery.id, Date.now());
  }
  for (const a of result.activity) events.push({ type: 'activity', entry: toActivity(yield* ask('insertActivity', activityValues(a))) });
}
