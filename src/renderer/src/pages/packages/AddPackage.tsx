import { useEffect, useState, type FormEvent } from 'react';
import type { PackageConnected, PackageCreated, Provider } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { usePackages } from '../../stores/packages-store';
import { Field } from '../../components/Field';
import { useConnections } from '../../stores/connections-store';
import { PackageCreatedCard } from './PackageCreatedCard';
import { RepoIdHint } from './RepoIdHint';

export function AddPackage({ onDone }: { onDone: () => void }) {
  const select = usePackages((s) => s.select);
  const [provider, setProvider] = useState<Provider>('github');
  const [repo, setRepo] = useState('');
  const [repoId, setRepoId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<PackageCreated | PackageConnected | null>(null);
  const [connectionId, setConnectionId] = useState('');
  const connections = useConnections((s) => s.connections);
  const loadConnections = useConnections((s) => s.load);
  const usable = connections.filter((c) => c.provider === provider);
  useEffect(() => {
    void loadConnections();
  }, [loadConnections]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    try {
      const made = connectionId
        ? await call('packages.addFromConnection', { connectionId, repo: repo.trim() })
        : await call('packages.add', { provider, repo: repo.trim(), repoId: repoId.trim() });
      setCreated(made);
      select(made.id);
      setError(null);
    } catch (e) {
      setError(describeError(e));
    }
  }

  if (created) return <PackageCreatedCard created={created} provider={provider} onDone={onDone} />;

  return (
    <form className="card form" onSubmit={submit} aria-label="Add package">
      <h3>Add a package</h3>
      <Field label="Provider">
        {(id) => (
          <select
            id={id}
            value={provider}
            onChange={(e) => {
              setProvider(e.target.value as Provider);
              setConnectionId('');
            }}
          >
            <option value="github">GitHub</option>
            <option value="gitlab">GitLab</option>
          </select>
        )}
      </Field>
      <label>
        Repository
        <input placeholder="owner/name" value={repo} onChange={(e) => setRepo(e.target.value)} required />
      </label>
      {usable.length > 0 ? (
        <Field label="Hook" hint="Through a connection Hookbench creates the hook itself, and can ping, rotate and catch up on it.">
          {(id) => (
            <select id={id} value={connectionId} onChange={(e) => setConnectionId(e.target.value)}>
              <option value="">I will paste the URL and secret myself</option>
              {usable.map((c) => (
                <option key={c.id} value={c.id}>
                  Create it through {c.login} ({c.baseUrl})
                </option>
              ))}
            </select>
          )}
        </Field>
      ) : null}
      {connectionId ? null : (
        <Field label="Repository id" hint={<RepoIdHint provider={provider} repo={repo.trim()} canConnect={usable.length > 0} />}>
          {(id) => <input id={id} placeholder="123456" inputMode="numeric" value={repoId} onChange={(e) => setRepoId(e.target.value)} required />}
        </Field>
      )}
      <ErrorNote>{error}</ErrorNote>
      <div className="row">
        <button type="submit" className="btn btn-primary">
          Add package
        </button>
        <button type="button" className="btn" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
