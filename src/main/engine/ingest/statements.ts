import type Database from 'better-sqlite3';
import { rawTable } from '../db/raw-table';
import { activity, deliveries, packages, releaseChecks, releases } from '../db/schema';

/**
 * Ingest runs these for every tag push, so they are compiled once on the bare
 * connection (see raw-table.ts).
 */
export function prepareIngestStatements(sqlite: Database.Database) {
  const deliveryRows = rawTable(sqlite, deliveries);
  const releaseRows = rawTable(sqlite, releases);
  const checkRows = rawTable(sqlite, releaseChecks);
  return {
    pendingDelivery: deliveryRows.findBy(['id'], `${deliveryRows.column('outcome')} = 'pending'`),
    packageById: rawTable(sqlite, packages).findBy(['id']),
    releaseByTag: releaseRows.findBy(['packageId', 'tag']),
    releaseById: releaseRows.findBy(['id']),
    checksOf: checkRows.allBy(['releaseId'], 'id'),
    insertRelease: releaseRows.insert(['packageId', 'tag', 'version', 'prerelease', 'commitSha', 'status', 'deliveryId', 'createdAt', 'updatedAt']),
    markTagDeleted: releaseRows.update(['status', 'updatedAt'], ['id']),
    recreateRelease: releaseRows.update(['commitSha', 'deliveryId', 'status', 'updatedAt'], ['id']),
    clearChecks: checkRows.deleteBy(['releaseId']),
    insertChecks: checkRows.appendMany(['releaseId', 'rule', 'severity', 'passed', 'detail']),
    settleDelivery: deliveryRows.update(['outcome', 'outcomeReason', 'releaseId'], ['id']),
    insertActivity: rawTable(sqlite, activity).insert(['at', 'kind', 'message', 'packageId', 'packageName', 'deliveryId', 'releaseId']),
  };
}

export type IngestStatements = ReturnType<typeof prepareIngestStatements>;
