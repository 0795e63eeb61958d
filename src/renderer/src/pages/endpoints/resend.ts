import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { useEndpointActivity } from '../../stores/endpoint-activity-store';

/** Queues a message again as a new attempt with the same message id; resolves to a line to show. */
export async function resendMessage(messageRowId: number): Promise<string> {
  try {
    const message = await call('messages.resend', { id: messageRowId });
    useEndpointActivity.getState().onMessage(message);
    return `Queued ${message.messageId} again.`;
  } catch (error) {
    return describeError(error);
  }
}
