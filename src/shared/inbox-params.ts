import { z } from 'zod';

/** The fields an inbox is made with; contract.ts declares the methods. */
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
