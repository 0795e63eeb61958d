import { inTransaction } from '../../db/pg/transaction';
import type { EndpointSteps } from '../../outbound/endpoint-ops';
import {
  addEndpoint,
  endpointSummaries,
  endpointSummary,
  removeEndpoint,
  rotateEndpointSecret,
  setEndpointActive,
  updateEndpoint,
  type Change,
} from '../../outbound/endpoint-steps';
import {
  attemptsPage,
  endpointAttempts,
  endpointMessages,
  endpointSeries,
  messagesPage,
  resendFailed,
  resendMessage,
  trigger,
  triggerMany,
} from '../../outbound/message-steps';
import { pgEndpointOps } from '../../outbound/pg-endpoint-ops';
import { previewEndpointBody } from '../../outbound/preview';
import { runOpsAsync } from '../../store/steps';
import type { PgHandlerGroup } from './team-handlers';

/**
 * Endpoints, their messages and attempts on a team server's PostgreSQL database: the same
 * steps as the desktop's SQLite store (outbound/endpoint-steps.ts, message-steps.ts), so the
 * same checks, errors, activity wording and events. A change and its activity entry commit
 * in one transaction; its events are published once it has.
 */
export const pgEndpointHandlers: PgHandlerGroup = (ctx) => {
  const { pool, box, bus } = ctx;
  const read = <R>(steps: EndpointSteps<R>): Promise<R> => runOpsAsync(steps, pgEndpointOps(pool));
  const change = async <R>(steps: EndpointSteps<Change<R>>): Promise<R> => {
    const { result, events, kick } = await inTransaction(pool, (client) => runOpsAsync(steps, pgEndpointOps(client)));
    for (const event of events) bus.publish(event);
    if (kick) ctx.kickDispatcher();
    return result;
  };
  return {
    'endpoints.list': () => read(endpointSummaries(ctx.now())),
    'endpoints.get': ({ id }) => read(endpointSummary(id, ctx.now())),
    'endpoints.add': (p) => change(addEndpoint(box, p, ctx.now())),
    'endpoints.update': ({ id, ...patch }) => change(updateEndpoint(id, patch, ctx.now())),
    'endpoints.remove': ({ id }) => change(removeEndpoint(id, ctx.now())),
    'endpoints.enable': ({ id }) => change(setEndpointActive(id, true, null, ctx.now())),
    'endpoints.disable': ({ id, reason }) => change(setEndpointActive(id, false, reason ?? null, ctx.now())),
    'endpoints.rotateSecret': ({ id, secret, overlapSeconds }) =>
      change(rotateEndpointSecret(box, id, { secret, overlapMs: overlapSeconds === undefined ? undefined : overlapSeconds * 1000 }, ctx.now())),
    'endpoints.messages': ({ id, limit }) => read(endpointMessages(id, limit)),
    'endpoints.messagesPage': ({ id, ...page }) => read(messagesPage(id, page)),
    'endpoints.attempts': ({ id, limit }) => read(endpointAttempts(id, limit)),
    'endpoints.attemptsPage': ({ id, ...page }) => read(attemptsPage(id, page)),
    'endpoints.series': ({ id, since, bucketMs }) => read(endpointSeries(id, since, bucketMs)),
    'messages.resend': ({ id }) => change(resendMessage(id, ctx.now())),
    'endpoints.resendFailed': ({ id, since }) => change(resendFailed(id, since, ctx.now())),
    'endpoints.trigger': ({ id, event }) => change(trigger(id, event, ctx.now())),
    'endpoints.triggerMany': ({ id, event, count }) => change(triggerMany(id, event, count, ctx.now())),
    'endpoints.preview': (p) => previewEndpointBody(p, ctx.now()),
  };
};
