import { useEffect, useState, type FormEvent } from 'react';
import type { PackageConnected, PackageCreated, Provider } from '../../../../shared/types';
import { CopyButton, ErrorNote } from '../../components/bits';
import { describeError } from '../../lib/errors';
import { call } from '../../stores/connection-store';
import { usePackages } from '../../stores/packages-store';
import { Field } from '../../components/Field';
import { useConnections } from '../../stores/connections-store';

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

  if (created) {
    return (
      <section className="card" aria-label="Package created">
        <h3>Package added — copy the secret now</h3>
        {'registered' in created ? (
          <p data-testid="created-upstream">
            {created.registered
              ? `Hookbench created the hook on ${created.repo} through the connection; the provider pings it now. The secret is shown this once.`
              : `The hook could not be created upstream: ${created.hook.statusReason ?? 'no reason given'}. Paste the URL and secret into the repository's webhook settings, or fix the connection and rotate.`}
          </p>
        ) : (
          <p>It is shown this once. Paste the URL and secret into the repository's webhook settings.</p>
        )}
        <dl className="kv">
          <dt>Hook URL</dt>
          <dd>
            <code data-testid="created-hook-url">{created.hookUrl}</code> <CopyButton text={created.hookUrl} />
          </dd>
          <dt>Secret</dt>
          <dd>
            <code data-testid="created-secret">{created.secret}</code> <CopyButton text={created.secret} />
          </dd>
          {provider === 'gitlab' ? (
            <>
              <dt>Signing token</dt>
              <dd>
                <code>{created.signingToken}</code> <CopyButton text={created.signingToken} />
              </dd>
            </>
          ) : null}
        </dl>
        <button type="button" className="btn" onClick={onDone}>
          Done
        </button>
      </section>
    );
  }

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
        <label>
          Repository id
          <input placeholder="123456" inputMode="numeric" value={repoId} onChange={(e) => setRepoId(e.target.value)} required />
        </label>
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
