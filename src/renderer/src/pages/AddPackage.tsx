import { useState, type FormEvent } from 'react';
import type { PackageCreated, Provider } from '../../../shared/types';
import { CopyButton } from '../components/bits';
import { useApp } from '../stores/app-store';

export function AddPackage({ onDone }: { onDone: () => void }) {
  const api = useApp((s) => s.api);
  const [provider, setProvider] = useState<Provider>('github');
  const [repo, setRepo] = useState('');
  const [repoId, setRepoId] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [created, setCreated] = useState<PackageCreated | null>(null);

  async function submit(event: FormEvent) {
    event.preventDefault();
    if (!api) return;
    try {
      setCreated(await api.call('packages.add', { provider, repo: repo.trim(), repoId: repoId.trim() }));
      setError(null);
    } catch (e) {
      setError((e as Error).message);
    }
  }

  if (created) {
    return (
      <section className="card" aria-label="Package created">
        <h3>Package added — copy the secret now</h3>
        <p>It is shown this once. Paste the URL and secret into the repository's webhook settings.</p>
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
      <label>
        Provider
        <select value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
          <option value="github">GitHub</option>
          <option value="gitlab">GitLab</option>
        </select>
      </label>
      <label>
        Repository
        <input placeholder="owner/name" value={repo} onChange={(e) => setRepo(e.target.value)} required />
      </label>
      <label>
        Repository id
        <input placeholder="123456" inputMode="numeric" value={repoId} onChange={(e) => setRepoId(e.target.value)} required />
      </label>
      {error ? <p className="error" role="alert">{error}</p> : null}
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
