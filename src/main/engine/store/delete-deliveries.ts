import type { PushEvent } from '../../../shared/contract';
import type { DeliveryDeletion } from '../../../shared/types';
import { deleteInSlices } from '../db/sliced-writes';
import type { Db } from '../db/open';
import type { DeliveryFilter } from './deliveries';
import { sqliteDeliveryDeleteStatements, type DeliveryDeleteStatements } from './delivery-delete-statements';

/** Rows looked at per transaction: each holds the write lock for a few milliseconds. */
export const DELETE_BATCH = 300;
/** How many linked ids the answer lists (the counts are complete). */
const LISTED = 50;

export interface DeleteRequest extends DeliveryFilter {
  ids?: number[] | undefined;
  dryRun: boolean;
  /** Also delete deliveries a release or fixture links to (the release keeps its data; the fixture is its own copy). */
  includeLinked: boolean;
}

/** An answer before any batch was looked at. */
export const noDeletion = (request: DeleteRequest): DeliveryDeletion => ({
  dryRun: request.dryRun,
  matched: 0,
  deleted: 0,
  keptForRelease: [],
  keptForFixture: [],
  keptCount: 0,
  linkedDeleted: 0,
});

/**
 * One batch of matching ids in the answer, on either store: the linked ones counted (and the
 * first few listed) as kept, or as deleted when asked to include them. Returns the ids to delete.
 */
export function tallyBatch(result: DeliveryDeletion, request: DeleteRequest, ids: number[], { byRelease, byFixture }: ReturnType<DeliveryDeleteStatements['linked']>): number[] {
  result.matched += ids.length;
  const linked = ids.filter((id) => byRelease.has(id) || byFixture.has(id));
  if (request.includeLinked) result.linkedDeleted += linked.length;
  else {
    result.keptCount += linked.length;
    for (const id of linked) {
      const list = byRelease.has(id) ? result.keptForRelease : result.keptForFixture;
      if (list.length < LISTED) list.push(id);
    }
  }
  return request.includeLinked ? ids : ids.filter((id) => !byRelease.has(id) && !byFixture.has(id));
}

/** Deleted rows change every package's counts and latest delivery. */
export const deletionEvents = (result: DeliveryDeletion): PushEvent[] => (result.deleted && !result.dryRun ? [{ type: 'packages' }] : []);

/**
 * Deletes the matching deliveries in small transactions, oldest first, so a running receiver
 * never waits long for the lock. Rows a release or fixture links to are kept unless asked,
 * and the answer says which.
 */
export async function deleteDeliveries(db: Db, request: DeleteRequest): Promise<DeliveryDeletion> {
  const statements = sqliteDeliveryDeleteStatements(db, request);
  const result = noDeletion(request);
  let afterId = 0;
  const step = (): number => {
    const ids = statements.nextMatching(afterId, DELETE_BATCH);
    if (ids.length === 0) return 0;
    afterId = ids.at(-1)!;
    const doomed = tallyBatch(result, request, ids, statements.linked(ids));
    result.deleted += request.dryRun ? doomed.length : statements.remove(doomed);
    return ids.length;
  };
  if (request.dryRun) while (step() > 0);
  else await deleteInSlices(db, step);
  return result;
}
