import { z } from 'zod';
import { id, limit, method } from './contract-method';
import type { DeliverySummary, InboxCreated, InboxSummary } from './types';

/** The fields an inbox is made with. */
export const inboxFields = z.object({
  name: z.string().min(1).max(200),
  /** A dialect name, or 'none' to capture without checking. */
  dialect: z.string().min(1).max(50),
  secret: z.string().min(1).max(1000).optional(),
  /** Overrides the dialect's timestamp tolerance. */
  toleranceSeconds: z.number().int().min(0).max(30 * 86400).optional(),
});

/** What can change after: the name, and the tolerance (null goes back to the dialect's own). */
export const inboxPatch = z.object({ name: inboxFields.shape.name.optional(), toleranceSeconds: z.number().int().min(0).max(30 * 86400).nullable().optional() });

/** Receiving addresses for any sender; part of the engine API in contract.ts. */
export const inboxMethods = {
  'inboxes.add': method<InboxCreated>()(inboxFields),
  'inboxes.list': method<InboxSummary[]>()(z.object({})),
  'inboxes.update': method<InboxSummary>()(inboxPatch.extend({ id })),
  'inboxes.get': method<InboxSummary>()(z.object({ id })),
  'inboxes.remove': method<{ removed: true; captures: number }>()(z.object({ id })),
  /** Newest first; page on with beforeId. */
  'inboxes.captures': method<DeliverySummary[]>()(z.object({ id, beforeId: z.number().int().positive().optional(), limit })),
} as const;
