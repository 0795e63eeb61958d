import { useEffect } from 'react';
import { Empty } from '../../components/bits';
import { SecretOnce } from '../../components/SecretOnce';
import { useInboxes } from '../../stores/inboxes-store';
import { AddInbox } from './AddInbox';
import { InboxDetail } from './InboxDetail';
import { InboxList } from './InboxList';

export function InboxesPage() {
  const inboxes = useInboxes((s) => s.inboxes);
  const loaded = useInboxes((s) => s.loaded);
  const selectedId = useInboxes((s) => s.selectedId);
  const adding = useInboxes((s) => s.adding);
  const setAdding = useInboxes((s) => s.setAdding);
  const secret = useInboxes((s) => s.secret);
  const showSecret = useInboxes((s) => s.showSecret);
  const load = useInboxes((s) => s.load);
  const current = inboxes.find((i) => i.id === selectedId) ?? inboxes[0];
  useEffect(() => void load(), [load]);

  return (
    <div className="split stacks">
      <aside className="list-pane inboxes-pane">
        <div className="pane-head">
          <h2>Inboxes</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
            Add inbox
          </button>
        </div>
        {inboxes.length ? <InboxList currentId={adding ? null : (current?.id ?? null)} /> : <p className="muted pad">{loaded ? 'None yet.' : 'Loading…'}</p>}
      </aside>
      <main className="main-pane">
        {secret ? (
          <SecretOnce
            title={secret.reason === 'created' ? 'Inbox added — copy its secret now' : 'Secret rotated — copy the new one now'}
            secret={secret.secret ?? ''}
            previousValidUntil={secret.previousValidUntil}
            onDone={() => showSecret(null)}
          />
        ) : null}
        {adding ? (
          <AddInbox onDone={() => setAdding(false)} />
        ) : current ? (
          <InboxDetail key={current.id} inbox={current} />
        ) : loaded ? (
          <Empty
            title="No inboxes yet"
            action={
              <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
                Add your first inbox
              </button>
            }
          >
            An inbox is an address any sender can call: Stripe, a Standard Webhooks (Svix) sender, Repsy, Shopify, Slack… Hookbench keeps
            each request exactly as it came, checks its signature in the sender's own way, and says why one failed.
          </Empty>
        ) : (
          <p className="muted">Loading inboxes…</p>
        )}
      </main>
    </div>
  );
}
