import { CopyButton } from '../../components/bits';
import { num, shortTime } from '../../lib/format';
import { useInboxes } from '../../stores/inboxes-store';
import { DEFAULT_INBOX_ANSWER, type InboxAnswer } from '../../../../shared/inbox-types';

/** Not the default 200 at once: the list says so, since a sender's failures may be the inbox's doing. */
const programmed = (a: InboxAnswer) => JSON.stringify(a) !== JSON.stringify({ ...a, ...DEFAULT_INBOX_ANSWER });

/** Every inbox with its address to copy, how many requests it caught and when the last came. */
export function InboxList({ currentId }: { currentId: string | null }) {
  const inboxes = useInboxes((s) => s.inboxes);
  const select = useInboxes((s) => s.select);
  return (
    <ul className="list" aria-label="Inboxes">
      {inboxes.map((inbox) => (
        <li key={inbox.id} className={`inbox-item ${currentId === inbox.id ? 'active' : ''}`}>
          <button type="button" className="list-item" aria-current={currentId === inbox.id || undefined} onClick={() => select(inbox.id)}>
            <span className="title">{inbox.name}</span>
            <span className="muted">
              {inbox.dialect} · {num(inbox.captures)} {inbox.captures === 1 ? 'capture' : 'captures'}
              {inbox.lastCaptureAt !== null ? ` · last ${shortTime(inbox.lastCaptureAt)}` : ''}
              {programmed(inbox.answer) ? ` · ${inbox.answer.hang ? 'hangs' : `answers ${inbox.answer.status}`}` : ''}
            </span>
          </button>
          <div className="inbox-url">
            <code title={inbox.url}>{inbox.url}</code>
            <CopyButton text={inbox.url} label="Copy URL" title={`Copy ${inbox.name}'s URL`} />
          </div>
        </li>
      ))}
    </ul>
  );
}
