import type { Pool } from 'pg';
import type { DeliveryDeletion } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import { DELETE_BATCH, noDeletion, tallyBatch, type DeleteRequest } from './delete-deliveries';
import { pgDeliveryDeleteStatements } from './pg-delivery-delete-statements';

/**
 * deleteDeliveries on a team server's database: the same batches, oldest first, each its own
 * transaction, and the same answer (tallyBatch), so rows a release or fixture links to are kept
 * unless asked, on either store.
 */
export async function pgDeleteDeliveries(pool: Pool, request: DeleteRequest): Promise<DeliveryDeletion> {
  const result = noDeletion(request);
  let afterId = 0;
  let more = true;
  while (more) {
    more = await inTransaction(pool, async (client) => {
      const statements = pgDeliveryDeleteStatements(client, request, !request.dryRun);
      const ids = await statements.nextMatching(afterId, DELETE_BATCH);
      if (ids.length === 0) return false;
      afterId = ids.at(-1)!;
      const doomed = tallyBatch(result, request, ids, await statements.linked(ids));
      result.deleted += request.dryRun ? doomed.length : await statements.remove(doomed);
      return true;
    });
  }
  return result;
}
