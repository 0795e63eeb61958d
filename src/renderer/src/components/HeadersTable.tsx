import { useState } from 'react';
import { HIDDEN } from '../../../shared/secret-headers';
import { shown } from '../lib/bytes';
import { describeError } from '../lib/errors';
import { call } from '../stores/connection-store';
import { ErrorNote } from './bits';

const SHOWN = 200;

/** Values opened by a reveal, per lower-cased header name, for the stored request they belong to. */
interface Opened {
  ref: string;
  byName: Map<string, string[]>;
}

/**
 * Header names and values as text nodes; long lists are cut until asked for. Credentials
 * arrive hidden; with `revealRef` each gets a Reveal button, and every reveal is recorded.
 */
export function HeadersTable({ headers, label = 'Headers', revealRef }: { headers: [string, string][]; label?: string; revealRef?: string }) {
  const [all, setAll] = useState(false);
  const [opened, setOpened] = useState<Opened | null>(null);
  const [error, setError] = useState<string | null>(null);
  if (headers.length === 0) return <p className="muted">No headers.</p>;
  const visible = all ? headers : headers.slice(0, SHOWN);
  const current = opened && opened.ref === revealRef ? opened.byName : null;

  const reveal = (name: string) => {
    if (!revealRef) return;
    setError(null);
    call('captured.reveal', { ref: revealRef, header: name, via: 'ui' }).then(
      (r) => setOpened((o) => ({ ref: revealRef, byName: new Map(o && o.ref === revealRef ? o.byName : []).set(name.toLowerCase(), r.values) })),
      (e: unknown) => setError(describeError(e)),
    );
  };

  // The nth hidden value under a name is the nth value revealed for it.
  const seen = new Map<string, number>();
  const valueOf = (name: string, value: string): string | null => {
    if (value !== HIDDEN) return value;
    const key = name.toLowerCase();
    const n = seen.get(key) ?? 0;
    seen.set(key, n + 1);
    return current?.get(key)?.[n] ?? null;
  };

  return (
    <>
      <table className="grid mono headers" aria-label={label}>
        <tbody>
          {visible.map(([name, value], i) => {
            const open = valueOf(name, value);
            return (
              <tr key={i}>
                <th scope="row">{shown(name)}</th>
                {open !== null ? (
                  <td>{shown(open)}</td>
                ) : (
                  <td>
                    <span className="hidden-value">
                      <span className="muted" title="A credential: sealed at rest and hidden in every view">
                        {HIDDEN}
                      </span>
                      {revealRef ? (
                        <button type="button" className="btn btn-small" onClick={() => reveal(name)} aria-label={`Reveal ${name}`}>
                          Reveal
                        </button>
                      ) : null}
                    </span>
                  </td>
                )}
              </tr>
            );
          })}
        </tbody>
      </table>
      <ErrorNote>{error}</ErrorNote>
      {headers.length > visible.length ? (
        <button type="button" className="btn btn-small more" onClick={() => setAll(true)}>
          Show all {headers.length.toLocaleString()} headers
        </button>
      ) : null}
    </>
  );
}
