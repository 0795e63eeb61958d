import type { PushEvent } from '../../../shared/contract';
import type { ActivityKind, EndpointSecret, EndpointSummary } from '../../../shared/types';
import type { SecretBox } from '../secrets/secret-box';
import { activityValues } from '../store/activity';
import { urlForFeed } from './endpoint-activity';
import { ask, type EndpointSteps } from './endpoint-ops';
import {
  activeChanges,
  checkDialect,
  checkEvents,
  checkFormat,
  checkPatch,
  checkSecret,
  checkUrl,
  newEndpointRow,
  noEndpoint,
  noRelayPackage,
  patchChanges,
  rotation,
  unmaskPatch,
  type EndpointInput,
  type EndpointPatch,
} from './endpoint-rules';
import { summaryFrom, type EndpointRow } from './endpoints';
import { statsFrom } from './stats';

/**
 * The endpoint methods of the control API, written once for both stores as steps (see
 * endpoint-ops.ts). A change answers with its result, the events to publish once it is
 * stored, and whether the dispatcher should look at the queue again.
 */
export interface Change<R> {
  result: R;
  events: PushEvent[];
  kick: boolean;
}

export function* existingEndpoint(id: string): EndpointSteps<EndpointRow> {
  const row = yield* ask('endpointById', id);
  if (!row) throw noEndpoint(id);
  return row;
}

function* summaryOf(row: EndpointRow, now: number): EndpointSteps<EndpointSummary> {
  return summaryFrom(row, statsFrom(yield* ask('statsInputs', row.id)), now);
}

export function* endpointSummary(id: string, now: number): EndpointSteps<EndpointSummary> {
  return yield* summaryOf(yield* existingEndpoint(id), now);
}

export function* endpointSummaries(now: number): EndpointSteps<EndpointSummary[]> {
  const summaries: EndpointSummary[] = [];
  for (const row of yield* ask('allEndpoints')) summaries.push(yield* summaryOf(row, now));
  return summaries;
}

/** Something happened to an endpoint that a person should be able to find later in Activity. */
export function* note(kind: ActivityKind, message: string, at: number): EndpointSteps<PushEvent> {
  return { type: 'activity', entry: yield* ask('recordActivity', activityValues({ kind, message, at })) };
}

function* checkRelay(relay: EndpointInput['relay']): EndpointSteps<void> {
  if (relay && !(yield* ask('packageExists', relay.packageId))) throw noRelayPackage(relay.packageId);
}

export function* addEndpoint(box: SecretBox, input: EndpointInput, now: number): EndpointSteps<Change<EndpointSecret>> {
  checkUrl(input.url);
  checkDialect(input.dialect);
  checkEvents(input.dialect, input.events);
  checkFormat(input.format, input.template);
  yield* checkRelay(input.relay);
  checkSecret(input.dialect, input.secret);
  const { row, created } = newEndpointRow(box, input, now);
  yield* ask('insertEndpoint', row);
  const added = yield* note('endpoint_added', `Endpoint ${input.name} added: ${input.dialect} to ${urlForFeed(input.url)}, for ${input.events.join(', ')}.`, now);
  return { result: created, events: [added, { type: 'endpoints' }], kick: false };
}

/** The endpoint as it is now, pushed to every window; the dispatcher looks again (it may send to it now, or no more). */
function* changed(id: string, now: number, events: PushEvent[]): EndpointSteps<Change<EndpointSummary>> {
  const endpoint = yield* endpointSummary(id, now);
  return { result: endpoint, events: [...events, { type: 'endpoint', endpoint }], kick: true };
}

export function* updateEndpoint(id: string, patch: EndpointPatch, now: number): EndpointSteps<Change<EndpointSummary>> {
  const row = yield* existingEndpoint(id);
  const unmasked = unmaskPatch(row, patch);
  checkPatch(row, unmasked);
  yield* checkRelay(unmasked.relay);
  yield* ask('updateEndpoint', id, patchChanges(unmasked, now));
  return yield* changed(id, now, []);
}

export function* setEndpointActive(id: string, active: boolean, reason: string | null, now: number): EndpointSteps<Change<EndpointSummary>> {
  const { name } = yield* existingEndpoint(id);
  yield* ask('updateEndpoint', id, activeChanges(active, reason, now));
  const noted = active
    ? yield* note('endpoint_enabled', `Endpoint ${name} enabled.`, now)
    : yield* note('endpoint_disabled', reason ? `Endpoint ${name} disabled: ${reason}` : `Endpoint ${name} disabled by the user.`, now);
  return yield* changed(id, now, [noted]);
}

export function* rotateEndpointSecret(
  box: SecretBox,
  id: string,
  options: { secret?: string | undefined; overlapMs?: number | undefined },
  now: number,
): EndpointSteps<Change<EndpointSecret>> {
  const row = yield* existingEndpoint(id);
  const { changes, rotated } = rotation(box, row, options, now);
  yield* ask('updateEndpoint', id, changes);
  const until = rotated.previousSecretValidUntil;
  const noted = yield* note(
    'endpoint_secret_rotated',
    `Endpoint ${row.name}: signing secret rotated; ${until ? `the previous one also signs until ${new Date(until).toISOString()}` : 'the new one signs from now on'}.`,
    now,
  );
  return { result: rotated, events: [noted], kick: false };
}

/** Run without a SQLite transaction around it: the history goes in slices (see EndpointOps.removeEndpoint). */
export function* removeEndpoint(id: string, now: number): EndpointSteps<Change<{ removed: true }>> {
  const { name } = yield* existingEndpoint(id);
  yield* ask('removeEndpoint', id);
  const noted = yield* note('endpoint_removed', `Endpoint ${name} removed, with its messages and attempts.`, now);
  return { result: { removed: true }, events: [noted, { type: 'endpoints' }], kick: false };
}
