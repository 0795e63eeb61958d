import { Badge, Empty, ErrorNote } from '../../components/bits';
import { ConfirmButton } from '../../components/ConfirmButton';
import { when } from '../../lib/format';
import { useConnections } from '../../stores/connections-store';
import { packageName, usePackages } from '../../stores/packages-store';
import { AddConnection } from './AddConnection';

/** Provider connections: the tokens Hookbench manages hooks with. */
export function ConnectionsSection() {
  const connections = useConnections((s) => s.connections);
  const loaded = useConnections((s) => s.loaded);
  const remove = useConnections((s) => s.remove);
  const error = useConnections((s) => s.error);
  const added = useConnections((s) => s.added);
  const detached = useConnections((s) => s.detached);
  const dismiss = useConnections((s) => s.dismiss);
  const packages = usePackages((s) => s.packages);

  return (
    <section className="card" aria-label="Connections">
      <h3>Provider connections</h3>
      <p className="muted note">With a GitHub or GitLab token, Hookbench creates, checks and rotates hooks for you, pings them, and catches up on deliveries it missed.</p>
      <ErrorNote>{error}</ErrorNote>
      {added ? (
        <div className="note-line" role="status" data-testid="connection-added">
          Connected to {added.provider} as <strong>{added.login}</strong>.
          {added.warnings.map((w) => (
            <p key={w} className="warn-note">
              {w}
            </p>
          ))}{' '}
          <button type="button" className="link" onClick={dismiss}>
            OK
          </button>
        </div>
      ) : null}
      {detached.length ? (
        <p className="warn-note" role="status">
          No longer managed upstream: {detached.map((id) => packageName(packages, id)).join(', ')}. Their hooks stay as they are on the provider.
        </p>
      ) : null}
      {!loaded ? (
        <p className="muted">Loading connections…</p>
      ) : connections.length === 0 ? (
        <Empty title="No connections">Add a token below to let Hookbench manage hooks; without one you paste the hook URL and secret yourself.</Empty>
      ) : (
        <table className="grid" aria-label="Connections">
          <thead>
            <tr>
              <th>Provider</th>
              <th>Account</th>
              <th>Server</th>
              <th>Can manage hooks</th>
              <th>Scopes</th>
              <th>Expires</th>
              <th>Packages</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {connections.map((c) => (
              <tr key={c.id}>
                <td>{c.provider}</td>
                <td>
                  <strong>{c.login}</strong>
                </td>
                <td className="mono ellipsis-cell" title={c.baseUrl}>
                  {c.baseUrl}
                  {c.serverVersion ? <span className="muted"> · {c.serverVersion}</span> : null}
                </td>
                <td>
                  <Badge tone={c.canManageHooks === null ? 'muted' : c.canManageHooks ? 'ok' : 'bad'}>{c.canManageHooks === null ? 'unknown' : c.canManageHooks ? 'yes' : 'no'}</Badge>
                </td>
                <td className="mono">{c.scopes === null ? <span className="muted">not listed</span> : c.scopes.join(', ') || '—'}</td>
                <td>{c.expiresAt ? when(c.expiresAt) : 'never'}</td>
                <td className="num">{c.packages}</td>
                <td className="shrink">
                  <ConfirmButton onConfirm={() => void remove(c.id)} confirmLabel="Click again to remove">
                    Remove
                  </ConfirmButton>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      <AddConnection />
    </section>
  );
}
