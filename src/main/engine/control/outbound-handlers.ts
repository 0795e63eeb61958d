import { listDialectInfos } from '../dialects/dialect-infos';
import { enqueueTrigger } from '../outbound/enqueue';
import type { EndpointSteps } from '../outbound/endpoint-ops';
import {
  addEndpoint,
  endpointSummaries,
  endpointSummary,
  removeEndpoint,
  rotateEndpointSecret,
  setEndpointActive,
  updateEndpoint,
  type Change,
} from '../outbound/endpoint-steps';
import { endpointAttempts, endpointMessages, endpointSeries, resendFailed, resendMessage, trigger } from '../outbound/message-steps';
import { previewEndpointBody } from '../outbound/preview';
import { sqliteEndpointOps } from '../outbound/sqlite-endpoint-ops';
import { writeInSlices } from '../db/sliced-writes';
import { runOps, runOpsAsync } from '../store/steps';
import type { HandlerContext, Handlers } from './handlers';

type OutboundMethods = Exclude<Extract<keyof Handlers, `endpoints.${string}` | `messages.${string}` | 'dialects.list'>, 'endpoints.attemptsPage' | 'endpoints.messagesPage'>;

export function createOutboundHandlers({ db, box, bus, kickDispatcher }: HandlerContext): Pick<Handlers, OutboundMethods> {
  const ops = sqliteEndpointOps(db);
  const read = <R>(steps: EndpointSteps<R>): R => runOps(steps, ops);
  const told = <R>({ result, events, kick }: Change<R>): R => {
    for (const event of events) bus.publish(event);
    if (kick) kickDispatcher();
    return result;
  };
  // A change and its activity entry commit together.
  const change = <R>(steps: EndpointSteps<Change<R>>): R => told(db.transaction(() => runOps(steps, ops)));
  return {
    'dialects.list': listDialectInfos,
    'endpoints.add': (p) => change(addEndpoint(box, p, Date.now())),
    'endpoints.list': () => read(endpointSummaries(Date.now())),
    'endpoints.get': ({ id }) => read(endpointSummary(id, Date.now())),
    'endpoints.update': ({ id, ...patch }) => change(updateEndpoint(id, patch, Date.now())),
    // Not one transaction: a long history is deleted in slices.
    'endpoints.remove': async ({ id }) => told(await runOpsAsync(removeEndpoint(id, Date.now()), ops)),
    'endpoints.enable': ({ id }) => change(setEndpointActive(id, true, null, Date.now())),
    'endpoints.disable': ({ id, reason }) => change(setEndpointActive(id, false, reason ?? null, Date.now())),
    'endpoints.rotateSecret': ({ id, secret, overlapSeconds }) =>
      change(rotateEndpointSecret(box, id, { secret, overlapMs: overlapSeconds === undefined ? undefined : overlapSeconds * 1000 }, Date.now())),
    'endpoints.attempts': ({ id, limit }) => read(endpointAttempts(id, limit)),
    'endpoints.messages': ({ id, limit }) => read(endpointMessages(id, limit)),
    'endpoints.series': ({ id, since, bucketMs }) => read(endpointSeries(id, since, bucketMs)),
    'endpoints.trigger': ({ id, event }) => change(trigger(id, event, Date.now())),
    'endpoints.triggerMany': async ({ id, event, count }) => {
      const createdAt = Date.now();
      // Queued a few milliseconds at a time: thousands in one transaction would keep a running serve's receiver waiting.
      const ids = await writeInSlices(db, Array.from({ length: count }, (_, i) => i), () => enqueueTrigger(db, id, event, createdAt).rowId);
      kickDispatcher();
      return { ids, createdAt };
    },
    'endpoints.resendFailed': ({ id, since }) => change(resendFailed(id, since, Date.now())),
    'endpoints.preview': (p) => previewEndpointBody(p),
    'messages.resend': ({ id }) => change(resendMessage(id, Date.now())),
  };
}
