import { useEffect, useState } from 'react';
import { keepToken, onTokenRequired } from '../api/transport';
import { Dialog } from './Dialog';
import { Field } from './Field';

/**
 * A shared Hookbench server opens only to named API tokens: when it says it needs one, ask,
 * keep it for this tab (sessionStorage) and start over with it.
 */
export function TokenGate() {
  const [asked, setAsked] = useState<null | { rejected: boolean }>(null);
  const [token, setToken] = useState('');
  useEffect(() => onTokenRequired((rejected) => setAsked((now) => now ?? { rejected })), []);
  if (!asked) return null;
  return (
    <Dialog label="API token" title="This server needs an API token" onClose={() => setAsked(null)}>
      <form
        className="form"
        onSubmit={(e) => {
          e.preventDefault();
          if (!token.trim()) return;
          keepToken(token);
          location.reload();
        }}
      >
        <p>
          {asked.rejected ? 'The token this tab had was refused (revoked, or mistyped). ' : ''}
          Enter the token an admin of this Hookbench made for you (<code>hookbench token create --name YOU --role viewer|operator|admin</code>). It is
          kept in this tab only, until you close it.
        </p>
        <Field label="Token">{(id) => <input id={id} type="password" autoComplete="off" autoFocus value={token} onChange={(e) => setToken(e.target.value)} placeholder="hbk_…" />}</Field>
        <div className="row">
          <button type="submit" className="btn btn-primary" disabled={!token.trim()}>
            Use this token
          </button>
        </div>
      </form>
    </Dialog>
  );
}
