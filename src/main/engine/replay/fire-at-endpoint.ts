import { ApiError } from '../../../shared/contract';
import type { FixtureDetail, MessageView } from '../../../shared/types';
import { ask, type EndpointSteps } from '../outbound/endpoint-ops';
import { existingEndpoint, type Change } from '../outbound/endpoint-steps';
import { newMessageId } from '../outbound/enqueue';
import { toMessageView } from '../outbound/messages';

/** fixtures.fire goes to one place, never silently to several. */
export function oneFireTarget(targets: { endpointId?: string | undefined; to?: string | undefined; packageId?: string | undefined; inboxId?: string | undefined }): void {
  if ([targets.endpointId, targets.to, targets.packageId, targets.inboxId].filter(Boolean).length !== 1) {
    throw new ApiError('invalid_params', 'Fire a fixture at exactly one of: an endpoint, a URL, a package or an inbox.');
  }
}

/** What a fixture fired at an endpoint is sent as: its bytes and event, signed as the endpoint signs. */
export function fixtureMessageBody(fixture: FixtureDetail): { event: string; body: Buffer; contentType: string } {
  return { event: fixture.event ?? 'fixture', body: Buffer.from(fixture.bodyBase64, 'base64'), contentType: fixture.contentType ?? 'application/json' };
}

/** enqueueBody's steps, for a store that answers over the network: the fixture queued to the endpoint, as a trigger is. */
export function* fireAtEndpoint(endpointId: string, fixture: FixtureDetail, now: number): EndpointSteps<Change<MessageView>> {
  const endpoint = yield* existingEndpoint(endpointId);
  const rowId = yield* ask('insertMessage', { endpoint, messageId: newMessageId(), ...fixtureMessageBody(fixture), source: 'trigger', now });
  return { result: toMessageView((yield* ask('messageByRowId', rowId))!), events: [], kick: true };
}

/** A fixture fired at a URL, a package or an inbox is a replay of it; at a package the receiver treats it as a provider call, signed with the package's secret. */
export function fixtureReplay(params: {
  id: number;
  to?: string | undefined;
  packageId?: string | undefined;
  inboxId?: string | undefined;
  mode?: 'exact' | 'resign' | undefined;
  secret?: string | undefined;
  dialect?: string | undefined;
}) {
  const { id, to, packageId, inboxId, mode, secret, dialect } = params;
  return { ref: `fixture:${id}`, options: { to, packageId, inboxId, mode: mode ?? (packageId ? ('resign' as const) : ('exact' as const)), secret, dialect } };
}
