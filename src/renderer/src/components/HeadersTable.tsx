import { useState } from 'react';
import { shown } from '../lib/bytes';

const SHOWN = 200;

/** Header names and values as text nodes; long lists are cut until asked for. */
export function HeadersTable({ headers, label = 'Headers' }: { headers: [string, string][]; label?: string }) {
  const [all, setAll] = useState(false);
  if (headers.length === 0) return <p className="muted">No headers.</p>;
  const visible = all ? headers : headers.slice(0, SHOWN);
  return (
    <>
      <table className="grid mono headers" aria-label={label}>
        <tbody>
          {visible.map(([name, value], i) => (
            <tr key={i}>
              <th scope="row">{shown(name)}</th>
              <td>{shown(value)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      {headers.length > visible.length ? (
        <button type="button" className="btn btn-small more" onClick={() => setAll(true)}>
          Show all {headers.length.toLocaleString()} headers
        </button>
      ) : null}
    </>
  );
}
