import type { MessageView } from '../../../../shared/types';
import { Badge, Empty, outcomeTone } from '../../components/bits';
import { shortTime, when } from '../../lib/format';
import { resendMessage } from './resend';

export function MessageList({ messages, endpointActive, onNote }: { messages: MessageView[]; endpointActive: boolean; onNote(note: string): void }) {
  // A disabled endpoint's pending messages are not due: they wait for it to be enabled.
  const waiting = (m: MessageView) => !endpointActive && m.state === 'pending';
  if (messages.length === 0) return <Empty title="No messages yet">Each event sent to this endpoint becomes one message, tried until it succeeds or runs out of retries.</Empty>;
  return (
    <table className="grid messages" aria-label="Messages">
      <thead>
        <tr>
          <th>Created</th>
          <th>Message</th>
          <th>Event</th>
          <th>Source</th>
          <th>State</th>
          <th>Tries</th>
          <th>Last</th>
          <th>Next try</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {messages.map((m) => (
          <tr key={m.id}>
            <td className="mono nowrap" title={when(m.createdAt)}>
              {shortTime(m.createdAt)}
            </td>
            <td className="mono ellipsis-cell" title={m.messageId}>
              {m.messageId}
            </td>
            <td className="ellipsis-cell">{m.event}</td>
            <td>{m.source}</td>
            <td>
              <Badge tone={waiting(m) ? 'warn' : outcomeTone(m.state)}>{waiting(m) ? 'waiting: endpoint disabled' : m.state}</Badge>
            </td>
            <td className="num">{m.attemptCount}</td>
            <td className="ellipsis-cell" title={m.lastError ?? undefined}>
              {m.lastStatus ?? m.lastError ?? '—'}
            </td>
            <td className="nowrap">{m.nextAttemptAt && !waiting(m) ? shortTime(m.nextAttemptAt) : waiting(m) ? 'when enabled' : '—'}</td>
            <td className="shrink">
              <button type="button" className="btn btn-small" onClick={() => void resendMessage(m.id).then(onNote)}>
                Resend
              </button>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
