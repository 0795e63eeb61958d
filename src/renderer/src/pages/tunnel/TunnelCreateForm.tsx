import { useState } from 'react';
import { Field } from '../../components/Field';
import { useTunnel } from '../../stores/tunnel-store';

/** Create a smee channel on smee.io or on a server of one's own. */
export function TunnelCreateForm({ replacing }: { replacing: boolean }) {
  const create = useTunnel((s) => s.create);
  const busy = useTunnel((s) => s.busy);
  const [server, setServer] = useState('');
  return (
    <form
      className="inline-form tunnel-create"
      aria-label="Create a channel"
      onSubmit={(e) => {
        e.preventDefault();
        void create(server);
      }}
    >
      <Field label="smee server (empty: https://smee.io)">
        {(id) => <input id={id} className="mono" value={server} placeholder="https://smee.io" spellCheck={false} onChange={(e) => setServer(e.target.value)} />}
      </Field>
      <button type="submit" className={`btn ${replacing ? '' : 'btn-primary'}`} disabled={busy !== null}>
        {busy === 'create' ? 'Creating…' : replacing ? 'Create a new channel' : 'Create a channel'}
      </button>
    </form>
  );
}
