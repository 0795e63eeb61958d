import { z } from 'zod';
import { method } from './contract-method';
import { deliveryFilter } from './delivery-filter';
import { FIRST_SCREEN, type DeliveryFilterValue, type WindowStart } from './first-screen';

// The view the answer echoes is the filter the schema parses, field for field.
const _viewMatches: [z.output<typeof deliveryFilter>, DeliveryFilterValue] extends [DeliveryFilterValue, z.output<typeof deliveryFilter>] ? true : never = true;
void _viewMatches;

/** What an endpoint would send for an event, before it is saved: the form's live preview. */
export interface EndpointBodyPreview {
  /** The event name on the wire (release.published goes to Repsy as package.deployed). */
  event: string;
  contentType: string;
  body: string;
}

/** Methods the window needs beside the CLI's; part of the engine API in contract.ts. */
export const windowMethods = {
  /** What the first screen needs, in one call instead of one per list. */
  'window.start': method<WindowStart>()(
    z.object({
      deliveries: deliveryFilter.extend({ limit: z.number().int().min(1).max(10_000).default(FIRST_SCREEN.deliveries) }).default({ limit: FIRST_SCREEN.deliveries }),
      activityLimit: z.number().int().min(1).max(10_000).default(FIRST_SCREEN.activity),
    }),
  ),
  /** Renders sample data for an event the way an endpoint with these settings would. */
  'endpoints.preview': method<EndpointBodyPreview>()(
    z.object({
      dialect: z.string().min(1).max(50),
      format: z.enum(['dialect', 'slack', 'discord', 'template']),
      template: z.string().max(100_000).nullable().optional(),
      event: z.string().min(1).max(200),
      url: z.string().max(2000).optional(),
    }),
  ),
};
