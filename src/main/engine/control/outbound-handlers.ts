import type { ActivityKind } from '../../../shared/types';
import { listDialectInfos } from '../dialects/dialect-infos';
import { enqueueTrigger } from '../outbound/enqueue';
import {
  createEndpoint,
  getEndpointRow,
  listEndpoints,
  removeEndpoint,
  rotateEndpointSecret,
  setEndpointActive,
  toEndpointSummary,
  updateEndpoint,
} from '../outbound/endpoints';
import { recordEndpointActivity, urlForFeed } from '../outbound/endpoint-activity';
import { endpointSeries } from '../outbound/stats';
import { previewEndpointBody } from '../outbound/preview';
import { listAttempts, listMessages, resendFailedSince, resendMessage, toMessageView } from '../outbound/messages';
import { messages } from '../db/schema';
import { writeInSlices } from '../db/sliced-writes';
import { eq } from 'drizzle-orm';
import type { HandlerContext, Handlers } from './handlers';

type OutboundMethods = Exclude<Extract<keyof Handlers, `endpoints.${string}` | `messages.${string}` | 'dialects.list'>, 'endpoints.attemptsPage' | 'endpoints.messagesPage'>;

export function createOutboundHandlers({ db, box, bus, kickDispatcher }: HandlerContext): Pick<Handlers, OutboundMethods> {
  const summary = (id: string) => toEndpointSummary(db, getEndpointRow(db, id));
  const note = (kind: ActivityKind, message: string) => bus.publish({ type: 'activity', entry: recordEndpointActivity(db, kind, message) });
  const nameOf = (id: string) => getEndpointRow(db, id).name;
  const changed = (id: string) => {
    const endpoint = summary(id);
    bus.publish({ type: 'endpoint', endpoint });
    kickDispatcher();
    return endpoint;
  };
  return {
    'dialects.list': listDialectInfos,
    'endpoints.add': (p) => {
      const created = createEndpoint(db, box, p);
      note('endpoint_added', `Endpoint ${p.name} added: ${p.dialect} to ${urlForFeed(p.url)}, for ${p.events.join(', ')}.`);
      bus.publish({ type: 'endpoints' });
      return created;
    },
    'endpoints.list': () => listEndpoints(db),
    'endpoints.get': ({ id }) => summary(id),
    'endpoints.update': ({ id, ...patch }) => {
      updateEndpoint(db, id, patch);
      return changed(id);
    },
    'endpoints.remove': async ({ id }) => {
      const name = nameOf(id);
      await removeEndpoint(db, id);
      note('endpoint_removed', `Endpoint ${name} removed, with its messages and attempts.`);
      bus.publish({ type: 'endpoints' });
      return { removed: true as const };
    },
    'endpoints.enable': ({ id }) => {
      setEndpointActive(db, id, true);
      note('endpoint_enabled', `Endpoint ${nameOf(id)} enabled.`);
      return changed(id);
    },
    'endpoints.disable': ({ id, reason }) => {
      setEndpointActive(db, id, false, reason ?? null);
      note('endpoint_disabled', reason ? `Endpoint ${nameOf(id)} disabled: ${reason}` : `Endpoint ${nameOf(id)} disabled by the user.`);
      return changed(id);
    },
    'endpoints.rotateSecret': ({ id, secret, overlapSeconds }) => {
      const rotated = rotateEndpointSecret(db, box, id, { secret, overlapMs: overlapSeconds === undefined ? undefined : overlapSeconds * 1000 });
      const until = rotated.previousSecretValidUntil;
      note(
        'endpoint_secret_rotated',
        `Endpoint ${nameOf(id)}: signing secret rotated; ${until ? `the previous one also signs until ${new Date(until).toISOString()}` : 'the new one signs from now on'}.`,
      );
      return rotated;
    },
    'endpoints.attempts': ({ id, limit }) => {
      getEndpointRow(db, id);
      return listAttempts(db, { endpointId: id, limit });
    },
    'endpoints.messages': ({ id, limit }) => {
      getEndpointRow(db, id);
      return listMessages(db, id, limit);
    },
    'endpoints.series': ({ id, since, bucketMs }) => {
      getEndpointRow(db, id);
      return endpointSeries(db, id, since, bucketMs);
    },
    'endpoints.trigger': ({ id, event }) => {
      const { rowId } = db.transaction((tx) => enqueueTrigger(tx, id, event));
      kickDispatcher();
      return toMessageView(db.select().from(messages).where(eq(messages.id, rowId)).get()!);
    },
    'endpoints.triggerMany': async ({ id, event, count }) => {
      const createdAt = Date.now();
      // Queued a few milliseconds at a time: thousands in one transaction would keep a running serve's receiver waiting.
      const ids = await writeInSlices(db, Array.from({ length: count }, (_, i) => i), () => enqueueTrigger(db, id, event, createdAt).rowId);
      kickDispatcher();
      return { ids, createdAt };
    },
    'endpoints.resendFailed': ({ id, since }) => {
      getEndpointRow(db, id);
      const resent = resendFailedSince(db, id, since);
      if (resent > 0) note('resent', `${resent} failed message${resent === 1 ? '' : 's'} to endpoint ${nameOf(id)} (since ${new Date(since).toISOString()}) queued to send again.`);
      kickDispatcher();
      return { resent };
    },
    'endpoints.preview': (p) => previewEndpointBody(p),
    'messages.resend': ({ id }) => {
      const message = resendMessage(db, id);
      note('resent', `Message ${message.messageId} (${message.event}) to endpoint ${nameOf(message.endpointId)} queued to send again.`);
      kickDispatcher();
      return message;
    },
  };
}
