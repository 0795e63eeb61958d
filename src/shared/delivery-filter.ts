import { z } from 'zod';
import { id } from './contract-method';

const outcome = z.enum(['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted', 'captured']);

/** Which deliveries a list, count or deletion is about; every field narrows it. */
export const deliveryFilter = z.object({
  packageId: id.optional(),
  /** The receiving address: a package's hook id or an inbox id. */
  hookId: z.string().min(1).max(200).optional(),
  outcome: outcome.optional(),
  event: z.string().max(200).optional(),
  verdict: z.enum(['valid', 'invalid', 'missing', 'unchecked']).optional(),
  source: z.enum(['direct', 'tunnel', 'replay', 'import']).optional(),
  /** Received at or after (ms). */
  since: z.number().int().min(0).optional(),
  /** Received before (ms). */
  until: z.number().int().min(0).optional(),
  /** Text searched in the event, tag, reason, delivery id, headers and body. */
  q: z.string().max(500).optional(),
});
