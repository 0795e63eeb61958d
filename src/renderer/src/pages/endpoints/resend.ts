import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useEndpointActivity } from '../../stores/endpoint-activity-store';
import { useEndpoints } from '../../stores/endpoints-store';

/** Said after queuing for an endpoint that is disabled: nothing goes out until it is enabled. */
export const waitsWhileDisabled = (endpointId: string) =>
  useEndpoints.getState().endpoints.find((e) => e.id === endpointId)?.active === false ? ' The endpoint is disabled: it waits until you enable it.' : '';

/** Queues a message again as a new attempt with the same message id; resolves to a line to show. */
export async function resendMessage(messageRowId: number): Promise<string> {
  try {
    const message = await call('messages.resend', { id: messageRowId });
    useEndpointActivity.getState().onMessage(message);
    return `Queued ${message.messageId} again.${waitsWhileDisabled(message.endpointId)}`;
  } catch (error) {
    return describeError(error);
  }
}
