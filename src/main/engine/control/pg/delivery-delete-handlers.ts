import { deletionEvents } from '../../store/delete-deliveries';
import { pgDeleteDeliveries } from '../../store/pg-delete-deliveries';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

/** Deleting deliveries on a team server's database: by ids or a filter, with the same rules and answer as on a desktop data dir. */
export const pgDeliveryDeleteHandlers: PgHandlerGroup = ({ pool, bus }): Pick<Handlers, 'deliveries.delete'> => ({
  'deliveries.delete': async (params) => {
    const result = await pgDeleteDeliveries(pool, params);
    for (const event of deletionEvents(result)) bus.publish(event);
    return result;
  },
});
