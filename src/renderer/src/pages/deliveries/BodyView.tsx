import { useMemo, useState } from 'react';
import { CopyButton } from '../../components/bits';
import { Tabs } from '../../components/Tabs';
import { formatSize, fromBase64, hexDump, looksBinary, prettyJson, utf8OrNull, visibleText } from '../../lib/bytes';

type View = 'pretty' | 'raw' | 'hex';

/** Text shown at once; more on request, so a 25 MiB body does not freeze the window. */
const TEXT_CAP = 256 * 1024;

/** The body as pretty JSON, raw text or a hex dump: always a text node inside <pre>. */
export function BodyView({ bodyBase64, contentType, size, truncated = false }: { bodyBase64: string; contentType: string | null; size: number; truncated?: boolean }) {
  const bytes = useMemo(() => fromBase64(bodyBase64), [bodyBase64]);
  const binary = useMemo(() => looksBinary(bytes), [bytes]);
  const text = useMemo(() => utf8OrNull(bytes) ?? new TextDecoder().decode(bytes), [bytes]);
  const pretty = useMemo(() => (binary ? null : prettyJson(text, contentType)), [binary, text, contentType]);
  const [chosen, setChosen] = useState<View | null>(null);
  const [full, setFull] = useState(false);
  const view: View = chosen ?? (binary ? 'hex' : pretty !== null ? 'pretty' : 'raw');

  const source = view === 'hex' ? hexDump(bytes, full ? Infinity : 64 * 1024) : view === 'pretty' ? (pretty ?? text) : text;
  const shown = view === 'hex' ? source : visibleText(full ? source : source.slice(0, TEXT_CAP));
  const cut = view !== 'hex' && !full && source.length > TEXT_CAP;

  return (
    <section className="card" aria-label="Body">
      <div className="section-head">
        <h3>
          Body <span className="muted">{formatSize(size)}{contentType ? ` · ${contentType}` : ''}{binary ? ' · binary' : ''}</span>
        </h3>
        <div className="row">
          <Tabs<View>
            label="Body view"
            value={view}
            onChange={setChosen}
            options={[
              { id: 'pretty', label: 'Pretty' },
              { id: 'raw', label: 'Raw' },
              { id: 'hex', label: 'Hex' },
            ]}
          />
          {!binary ? <CopyButton text={text} label="Copy body" /> : null}
        </div>
      </div>
      {view === 'pretty' && pretty === null ? <p className="muted note">{binary ? 'Binary body: not JSON.' : 'Not JSON: showing the text as received.'}</p> : null}
      {truncated ? (
        <p className="muted note" data-testid="body-truncated">
          {bytes.length === 0 ? 'The body was not kept' : `Only the first ${formatSize(bytes.length)} of ${formatSize(size)} were kept`}: the request was refused.
        </p>
      ) : null}
      {size === 0 ? <p className="muted">Empty body.</p> : bytes.length > 0 ? <pre className="body" data-testid="body">{shown}</pre> : null}
      {cut || (view === 'hex' && !full && bytes.length > 64 * 1024) ? (
        <button type="button" className="btn btn-small more" onClick={() => setFull(true)}>
          Show the whole body ({formatSize(size)})
        </button>
      ) : null}
    </section>
  );
}
