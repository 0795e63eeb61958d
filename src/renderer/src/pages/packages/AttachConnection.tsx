import { useEffect, useId, useState } from 'react';
import type { PackageSummary } from '../../../../shared/types';
import { useConnections } from '../../stores/connections-store';
import { useNav } from '../../stores/nav-store';
import { usePackageOps } from '../../stores/package-ops-store';

const PROVIDER = { github: 'GitHub', gitlab: 'GitLab' } as const;

/**
 * A package whose hook was pasted by hand: Ping, Catch up and the provider log need a connection
 * to ask the provider. Attaching one re-registers the hook through it, with a new secret.
 */
export function AttachConnection({ pkg, busy }: { pkg: PackageSummary; busy: boolean }) {
  const connections = useConnections((s) => s.connections);
  const load = useConnections((s) => s.load);
  const go = useNav((s) => s.go);
  const rotate = usePackageOps((s) => s.rotate);
  const usable = connections.filter((c) => c.provider === pkg.provider);
  const [chosen, setChosen] = useState('');
  const selectId = useId();
  useEffect(() => void load(), [load]);
  const provider = PROVIDER[pkg.provider];
  const connectionId = chosen || usable[0]?.id || '';
  return (
    <section className="note-box" aria-label="Manage through a connection" data-testid="attach-connection">
      <p>
        This hook was set up by hand, so Hookbench cannot ask {provider} about it: Ping, Catch up and the provider log need a {provider} connection. Attaching one
        creates the hook through it with a new secret, and from then on Hookbench pings, rotates and catches up on it itself.
      </p>
      {usable.length ? (
        <div className="row wrap">
          <label htmlFor={selectId} className="muted">
            Connection
          </label>
          <select id={selectId} value={connectionId} onChange={(e) => setChosen(e.target.value)}>
            {usable.map((c) => (
              <option key={c.id} value={c.id}>
                {c.login} ({c.baseUrl})
              </option>
            ))}
          </select>
          <button type="button" className="btn btn-small btn-primary" disabled={busy} onClick={() => void rotate(pkg.id, connectionId)}>
            Attach and re-register the hook
          </button>
        </div>
      ) : (
        <p>
          No {provider} connection yet.{' '}
          <button type="button" className="link" onClick={() => go('tunnel')}>
            Add one under Connections on the Tunnel page
          </button>{' '}
          (a token that may manage the repository's hooks), then come back here.
        </p>
      )}
    </section>
  );
}
