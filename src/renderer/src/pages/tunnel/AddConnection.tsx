import { useState } from 'react';
import type { Provider } from '../../../../shared/types';
import { Field } from '../../components/Field';
import { useConnections } from '../../stores/connections-store';

/** A token for GitHub, GitLab, or a self-hosted server of either. It is stored encrypted and never shown again. */
export function AddConnection() {
  const add = useConnections((s) => s.add);
  const adding = useConnections((s) => s.adding);
  const [provider, setProvider] = useState<Provider>('github');
  const [token, setToken] = useState('');
  const [baseUrl, setBaseUrl] = useState('');
  return (
    <form
      className="inline-form add-connection"
      aria-label="Add a connection"
      onSubmit={(e) => {
        e.preventDefault();
        void add({ provider, token: token.trim(), ...(baseUrl.trim() ? { baseUrl: baseUrl.trim() } : {}) }).then((ok) => ok && setToken(''));
      }}
    >
      <Field label="Provider">
        {(id) => (
          <select id={id} value={provider} onChange={(e) => setProvider(e.target.value as Provider)}>
            <option value="github">GitHub</option>
            <option value="gitlab">GitLab</option>
          </select>
        )}
      </Field>
      <Field label="Token">
        {(id) => (
          <input
            id={id}
            type="password"
            className="mono"
            autoComplete="off"
            value={token}
            placeholder={provider === 'github' ? 'ghp_… or github_pat_…' : 'glpat-…'}
            onChange={(e) => setToken(e.target.value)}
            required
          />
        )}
      </Field>
      <Field label="Server (self-hosted only)">
        {(id) => (
          <input
            id={id}
            className="mono"
            value={baseUrl}
            placeholder={provider === 'github' ? 'https://api.github.com' : 'https://gitlab.com'}
            spellCheck={false}
            onChange={(e) => setBaseUrl(e.target.value)}
          />
        )}
      </Field>
      <button type="submit" className="btn" disabled={adding}>
        {adding ? 'Checking the token…' : 'Add connection'}
      </button>
    </form>
  );
}
