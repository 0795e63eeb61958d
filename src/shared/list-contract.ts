import { z } from 'zod';
import { id, method } from './contract-method';
import { pageParams, type Page } from './paging';
import type { ActivityEntry, AttemptView, DeliverySummary, MessageView, Release } from './types';

/** Paged forms of the engine's lists (part of the engine API in contract.ts): every row reachable, a page at a time. */
export const listMethods = {
  'activity.page': method<Page<ActivityEntry>>()(z.object({ packageId: id.optional(), ...pageParams })),
  'releases.page': method<Page<Release>>()(z.object({ packageId: id, ...pageParams })),
  'endpoints.attemptsPage': method<Page<AttemptView>>()(z.object({ id, ...pageParams })),
  'endpoints.messagesPage': method<Page<MessageView>>()(z.object({ id, ...pageParams })),
  'inboxes.capturesPage': method<Page<DeliverySummary>>()(
    z.object({
      id,
      /** Part of the event name is enough. */
      event: z.string().min(1).max(200).optional(),
      verdict: z.enum(['valid', 'invalid', 'missing', 'unchecked']).optional(),
      ...pageParams,
    }),
  ),
} as const;
