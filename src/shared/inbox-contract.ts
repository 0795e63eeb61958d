import { z } from 'zod';
import { id, limit, method } from './contract-method';
import type { DeliverySummary, InboxCreated, InboxSummary } from './types';
import type { InboxAnswer, InboxForwardTarget, InboxTimelineEntry } from './inbox-types';

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
  /** Sets what the inbox answers; reset goes back to 2xx at once. */
  'inboxes.respond': method<InboxAnswer>()(
    z.object({
      id,
      reset: z.boolean().optional(),
      status: z.number().int().min(100).max(599).optional(),
      headers: z.array(z.tuple([z.string().min(1).max(200), z.string().max(8000)])).max(100).optional(),
      body: z.string().max(1024 * 1024).optional(),
      delayMs: z.number().int().min(0).max(600_000).optional(),
      failFirst: z.number().int().min(1).max(1000).nullable().optional(),
      failRatio: z.number().min(0).max(1).nullable().optional(),
      hang: z.boolean().optional(),
    }),
  ),
  /** Adds (or replaces, by URL) a forward target; remove takes one away. */
  'inboxes.forward': method<InboxForwardTarget[]>()(
    z.object({
      id,
      url: z.string().min(1).max(2000),
      remove: z.boolean().optional(),
      events: z.array(z.string().min(1).max(200)).max(100).optional(),
      pathRewrite: z.string().max(2000).nullable().optional(),
      passBack: z.boolean().optional(),
    }),
  ),
  /** Arrivals grouped by event id: one event, or the latest `limit` events, oldest first. */
  'inboxes.timeline': method<InboxTimelineEntry[]>()(z.object({ id, eventId: z.string().min(1).max(500).optional(), limit })),
  /** A new secret (given or generated); the old one still verifies for overlapSeconds. */
  'inboxes.rotate': method<InboxCreated>()(z.object({ id, secret: z.string().min(1).max(1000).optional(), overlapSeconds: z.number().int().min(0).max(30 * 86400).optional() })),
} as const;
