import { useState, type FormEvent } from 'react';
import type { ParamsOf } from '../../../../shared/contract';
import { DEFAULT_INBOX_ANSWER, type InboxAnswer } from '../../../../shared/inbox-types';
import type { InboxSummary } from '../../../../shared/types';
import { ErrorNote } from '../../components/bits';
import { parseHeaders } from '../../lib/parse-headers';
import { call } from '../../stores/connection-store';
import { useInboxes } from '../../stores/inboxes-store';
import { panelError } from './panel-error';

const headerLines = (headers: [string, string][]) => headers.map(([k, v]) => `${k}: ${v}`).join('\n');
const optionalNumber = (text: string) => (text.trim() === '' ? null : Number(text.trim()));

/** What the answer does, in a line: "500 to the first 2 tries of each event, after 300 ms". */
export function describeAnswer(a: InboxAnswer): string {
  if (a.hang) return 'Holds every connection open without answering, past the sender’s own time limit.';
  const who = a.failFirst !== null ? `the first ${a.failFirst} ${a.failFirst === 1 ? 'try' : 'tries'} of each event, then 200` : a.failRatio !== null ? `${Math.round(a.failRatio * 100)}% of requests at random, else 200` : 'every request';
  return `${a.status} to ${who}${a.delayMs ? `, after ${a.delayMs} ms` : ''}.`;
}

/** Programs what the inbox answers, to put a sender's retries to the test. */
export function AnswerPanel({ inbox }: { inbox: InboxSummary }) {
  const current = inbox.answer;
  const [status, setStatus] = useState(String(current.status));
  const [headers, setHeaders] = useState(headerLines(current.headers));
  const [body, setBody] = useState(current.body);
  const [delay, setDelay] = useState(current.delayMs ? String(current.delayMs) : '');
  const [failFirst, setFailFirst] = useState(current.failFirst === null ? '' : String(current.failFirst));
  const [ratio, setRatio] = useState(current.failRatio === null ? '' : String(current.failRatio));
  const [hang, setHang] = useState(current.hang);
  const [error, setError] = useState<string | null>(null);
  const [answer, setAnswer] = useState<InboxAnswer>(current);

  async function apply(params: ParamsOf<'inboxes.respond'>) {
    try {
      const next = await call('inboxes.respond', params);
      setAnswer(next);
      setError(null);
      useInboxes.getState().upsert({ ...inbox, answer: next });
      return next;
    } catch (e) {
      setError(panelError(e, 'program answers'));
      return null;
    }
  }

  function save(event: FormEvent) {
    event.preventDefault();
    const parsed = parseHeaders(headers);
    if ('error' in parsed) return setError(parsed.error);
    const who = { failFirst: optionalNumber(failFirst), failRatio: optionalNumber(ratio) };
    // Hanging answers nothing: status, headers, body and delay do not go with it.
    void apply(
      hang
        ? { id: inbox.id, hang: true, ...who }
        : { id: inbox.id, status: Number(status), headers: parsed.headers, body, delayMs: optionalNumber(delay) ?? 0, ...who },
    );
  }

  async function reset() {
    const next = await apply({ id: inbox.id, reset: true });
    if (!next) return;
    const d = DEFAULT_INBOX_ANSWER;
    setStatus(String(d.status));
    setHeaders('');
    setBody('');
    setDelay('');
    setFailFirst('');
    setRatio('');
    setHang(false);
  }

  return (
    <form className="card form wide" onSubmit={save} aria-label="Programmed answer">
      <p data-testid="answer-now">
        <strong>Now:</strong> {describeAnswer(answer)}
      </p>
      <div className="form-grid three">
        <label>
          Status
          <input type="number" min={200} max={599} value={status} disabled={hang} onChange={(e) => setStatus(e.target.value)} required />
        </label>
        <label>
          Delay (ms)
          <input type="number" min={0} max={600000} value={delay} disabled={hang} placeholder="0" onChange={(e) => setDelay(e.target.value)} />
        </label>
        <label>
          Fail first N tries
          <input type="number" min={1} max={1000} value={failFirst} placeholder="every try" onChange={(e) => setFailFirst(e.target.value)} />
        </label>
        <label>
          Failure ratio (0–1)
          <input type="number" min={0} max={1} step={0.05} value={ratio} placeholder="every request" onChange={(e) => setRatio(e.target.value)} />
        </label>
      </div>
      <label>
        Headers
        <textarea className="mono" rows={2} value={headers} placeholder="Retry-After: 30" onChange={(e) => setHeaders(e.target.value)} />
      </label>
      <label>
        Body
        <textarea className="mono" rows={3} value={body} onChange={(e) => setBody(e.target.value)} />
      </label>
      <label className="check">
        <input type="checkbox" checked={hang} onChange={(e) => setHang(e.target.checked)} /> Hang: hold the connection open instead of answering
      </label>
      <span className="hint-text">
        Fail first N answers the status above to the first N arrivals of each event id, then 200; a failure ratio answers it to that share at random. The answer actually
        given is kept with each capture.
      </span>
      <ErrorNote>{error}</ErrorNote>
      <div className="row">
        <button type="submit" className="btn btn-primary">
          Save answer
        </button>
        <button type="button" className="btn" onClick={() => void reset()}>
          Reset to 200 at once
        </button>
      </div>
    </form>
  );
}
