import { useEffect, useState } from 'react';
import type { DeliveryDetail as Detail } from '../../../shared/types';
import { Badge, outcomeTone, when } from '../components/bits';
import { useApp } from '../stores/app-store';

type View = 'pretty' | 'raw' | 'hex';

function decode(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

function hexDump(bytes: Uint8Array, max = 64 * 1024): string {
  const lines: string[] = [];
  for (let off = 0; off < Math.min(bytes.length, max); off += 16) {
    const row = Array.from(bytes.subarray(off, off + 16));
    const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${bytes.length - max} more bytes`);
  return lines.join('\n');
}

function pretty(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

/** Payloads are hostile: everything below is rendered as text nodes, never as HTML. */
export function DeliveryDetail({ id }: { id: number }) {
  const api = useApp((s) => s.api);
  const fail = useApp((s) => s.fail);
  const [detail, setDetail] = useState<Detail | null>(null);
  const [view, setView] = useState<View>('pretty');

  useEffect(() => {
    if (!api) return;
    api.call('deliveries.get', { id }).then(setDetail, fail);
  }, [api, id, fail]);

  if (!detail) return <p className="muted">Loading…</p>;
  const bytes = decode(detail.bodyBase64);
  const text = new TextDecoder().decode(bytes);
  const shown = view === 'hex' ? hexDump(bytes) : view === 'pretty' ? pretty(text.slice(0, 2_000_000)) : text.slice(0, 2_000_000);

  return (
    <div className="detail" aria-label={`Delivery ${detail.id}`}>
      <header className="detail-head">
        <h2>
          Delivery #{detail.id} <Badge tone={outcomeTone(detail.outcome)}>{detail.outcome}</Badge>
        </h2>
        <span className="muted">
          {when(detail.receivedAt)} · via {detail.source} · answered {detail.statusCode} · {detail.event ?? 'no event'}
        </span>
      </header>
      {detail.outcomeReason ? <p className="reason">{detail.outcomeReason}</p> : null}
      <section className="card">
        <h3>
          Signature <Badge tone={outcomeTone(detail.verdict)}>{detail.verdict}</Badge>
        </h3>
        {detail.verdictDetail ? (
          <dl className="kv">
            <dt>Why</dt>
            <dd data-testid="verdict-reason">{detail.verdictDetail.reason}</dd>
            <dt>Header</dt>
            <dd>{detail.verdictDetail.header ?? '—'}</dd>
            <dt>Expected</dt>
            <dd>
              <code>{detail.verdictDetail.expected ?? '—'}</code>
            </dd>
            <dt>Received</dt>
            <dd>
              <code>{detail.verdictDetail.received ?? '—'}</code>
            </dd>
          </dl>
        ) : (
          <p className="muted">Not checked.</p>
        )}
      </section>
      <section className="card">
        <h3>Headers ({detail.headers.length})</h3>
        <table className="grid mono">
          <tbody>
            {detail.headers.slice(0, 500).map(([k, v], i) => (
              <tr key={i}>
                <td>{k}</td>
                <td>{v}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section className="card">
        <div className="pane-head">
          <h3>Body ({detail.bodySize} bytes)</h3>
          <div className="tabs" role="tablist">
            {(['pretty', 'raw', 'hex'] as View[]).map((v) => (
              <button key={v} type="button" role="tab" aria-selected={view === v} className={`tab ${view === v ? 'active' : ''}`} onClick={() => setView(v)}>
                {v}
              </button>
            ))}
          </div>
        </div>
        <pre className="body">{shown}</pre>
      </section>
    </div>
  );
}
