import type {
  ActivityEntry,
  ActivityKind,
  CheckResult,
  DeliveryDetail,
  DeliverySummary,
  Release,
  VerdictDetail,
} from '../../../shared/types';
import { maskHeaders } from '../../../shared/secret-headers';
import type { activity, deliveries, releaseChecks, releases } from '../db/schema';
import { parseHeaders } from '../secrets/header-seal';

type DeliveryRow = typeof deliveries.$inferSelect;

export function toDeliverySummary(row: Omit<DeliveryRow, 'body' | 'headers'>): DeliverySummary {
  return {
    id: row.id,
    packageId: row.packageId,
    receivedAt: row.receivedAt,
    source: row.source,
    event: row.event,
    providerDeliveryId: row.providerDeliveryId,
    verdict: row.verdict,
    statusCode: row.statusCode,
    outcome: row.outcome,
    outcomeReason: row.outcomeReason,
    tag: row.tag,
    bodySize: row.bodySize,
    method: row.method,
    path: row.path,
    hookId: row.hookId,
  };
}

export function toDeliveryDetail(row: DeliveryRow): DeliveryDetail {
  return {
    ...toDeliverySummary(row),
    hookId: row.hookId,
    remoteAddress: row.remoteAddress,
    contentType: row.contentType,
    headers: maskHeaders(parseHeaders(row.headers)),
    bodyBase64: row.body.toString('base64'),
    bodyTruncated: row.body.length < row.bodySize,
    verdictDetail: row.verdictDetail ? (JSON.parse(row.verdictDetail) as VerdictDetail) : null,
    duplicateOf: row.duplicateOf,
    releaseId: row.releaseId,
    keptAt: row.keptAt,
  };
}

export function toRelease(row: typeof releases.$inferSelect, checks: Pick<typeof releaseChecks.$inferSelect, 'rule' | 'severity' | 'passed' | 'detail'>[]): Release {
  return {
    id: row.id,
    packageId: row.packageId,
    tag: row.tag,
    version: row.version,
    prerelease: row.prerelease,
    commitSha: row.commitSha,
    status: row.status,
    deliveryId: row.deliveryId,
    createdAt: row.createdAt,
    updatedAt: row.updatedAt,
    checks: checks.map(
      (c): CheckResult => ({ rule: c.rule, severity: c.severity, passed: c.passed, detail: c.detail }),
    ),
  };
}

export function toActivity(row: typeof activity.$inferSelect): ActivityEntry {
  return { ...row, kind: row.kind as ActivityKind };
}
