import { z } from 'zod';
import { limit } from './contract-method';

/**
 * One page of a list, newest first. The cursor is opaque: give it back to read on from
 * where this page stopped; rows written meanwhile never shift what is left to read.
 */
export interface Page<T> {
  items: T[];
  /** Null on the last page. */
  nextCursor: string | null;
  /** Every row the list holds, when asked for with `total: true`. */
  total?: number;
}

/** The params every paged list takes. */
export const pageParams = {
  cursor: z.string().min(1).max(200).optional(),
  limit,
  /** Count every row of the list too (an indexed count; leave off when streaming). */
  total: z.boolean().default(false),
};
