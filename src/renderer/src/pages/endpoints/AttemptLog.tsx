import { Fragment, useEffect, useState } from 'react';
import type { AttemptView, CapturedView } from '../../../../shared/types';
import { Badge, Empty, statusTone } from '../../components/bits';
import { HeadersTable } from '../../components/HeadersTable';
import { millis, shortTime, when } from '../../lib/format';
import { resendMessage } from './resend';
import { shown, visibleText } from '../../lib/bytes';
import { call } from '../../stores/connection-store';
import { describeError } from '../../lib/errors';
import { usePackages } from '../../stores/packages-store';
import { BodyView } from '../deliveries/BodyView';
import { useReplay } from '../../stores/replay-store';

function replayAttempt(a: AttemptView, event: string | null): void {
  useReplay.getState().open(
    { ref: `attempt:${a.id}`, label: `attempt #${a.id}`, headers: a.requestHeaders, bodyBase64: null, event, packageId: null, url: a.url },
    usePackages.getState().packages[0]?.id ?? null,
  );
}

/** The bytes that went out: the message body, signed as the headers say. */
function RequestBody({ attemptId }: { attemptId: number }) {
  const [sent, setSent] = useState<CapturedView | string | null>(null);
  useEffect(() => {
    let live = true;
    call('captured.get', { ref: `attempt:${attemptId}` }).then(
      (c) => live && setSent(c),
      (error: unknown) => live && setSent(describeError(error)),
    );
    return () => {
      live = false;
    };
  }, [attemptId]);
  if (sent === null) return <p className="muted">Loading the request body…</p>;
  if (typeof sent === 'string') return <p className="tone-bad">The request body could not be read: {sent}</p>;
  return <BodyView bodyBase64={sent.bodyBase64} contentType={sent.contentType} size={sent.size} />;
}

function AttemptDetail({ a }: { a: AttemptView }) {
  return (
    <div className="attempt-detail">
      <div>
        <h4>Request</h4>
        <p className="mono url-line">POST {a.url}</p>
        <HeadersTable headers={a.requestHeaders} label="Attempt request headers" revealRef={`attempt:${a.id}`} />
        <RequestBody attemptId={a.id} />
      </div>
      <div>
        <h4>Response</h4>
        <p className="mono url-line">
          {a.status !== null ? `${a.status} after ${millis(a.durationMs)}` : 'no response'}
          {a.status === null && a.error ? <span className="tone-bad"> · {a.error}</span> : null}
        </p>
        <HeadersTable headers={a.responseHeaders} label="Attempt response headers" />
        <pre className="body small" data-testid="response-body">
          {visibleText(a.responseBody) || '(empty body)'}
        </pre>
        {a.responseTruncated ? <p className="muted">Cut at 64 KiB.</p> : null}
      </div>
    </div>
  );
}

export function AttemptLog({ attempts, onNote }: { attempts: AttemptView[]; onNote(note: string): void }) {
  const [open, setOpen] = useState<number | null>(null);
  if (attempts.length === 0) {
    return <Empty title="No attempts yet">Send a sample event above, or wait for a release: every try to this URL is logged here with its status, response and timing.</Empty>;
  }
  return (
    <table className="grid clickable-rows attempts" aria-label="Attempts">
      <thead>
        <tr>
          <th>Time</th>
          <th>Message</th>
          <th>Event</th>
          <th>Try</th>
          <th>Status</th>
          <th>Duration</th>
          <th>Response</th>
          <th />
        </tr>
      </thead>
      <tbody>
        {attempts.map((a) => (
          <Fragment key={a.id}>
            <tr className={open === a.id ? 'active' : ''} onClick={() => setOpen(open === a.id ? null : a.id)}>
              <td className="mono nowrap" title={when(a.startedAt)}>
                {shortTime(a.startedAt)}
              </td>
              <td className="mono ellipsis-cell" title={a.messageId}>
                {a.messageId}
              </td>
              <td className="ellipsis-cell">{a.event}</td>
              <td>
                {a.attemptNo}
                {a.trigger === 'manual' ? <span className="muted"> (manual)</span> : null}
              </td>
              <td>
                <Badge tone={a.succeeded ? 'ok' : statusTone(a.status)}>{a.status ?? 'error'}</Badge>
              </td>
              <td className="num">{millis(a.durationMs)}</td>
              <td className={`ellipsis-cell mono ${a.status === null ? 'tone-bad' : ''}`} title={a.error ?? undefined}>
                {a.status === null ? (a.error ?? 'no answer') : shown(a.responseBody.slice(0, 200)) || <span className="muted">(empty)</span>}
              </td>
              <td className="shrink">
                <div className="row">
                  <button
                    type="button"
                    className="btn btn-small"
                    title="Replay this request: exact, re-signed or edited, to any URL or into this Hookbench"
                    onClick={(e) => {
                      e.stopPropagation();
                      replayAttempt(a, a.event);
                    }}
                  >
                    Replay…
                  </button>
                  <button
                    type="button"
                    className="btn btn-small"
                    title="Send this message again (same message id, new attempt)"
                    onClick={(e) => {
                      e.stopPropagation();
                      void resendMessage(a.messageRowId).then(onNote);
                    }}
                  >
                    Resend
                  </button>
                </div>
              </td>
            </tr>
            {open === a.id ? (
              <tr className="expanded">
                <td colSpan={8}>
                  <AttemptDetail a={a} />
                </td>
              </tr>
            ) : null}
          </Fragment>
        ))}
      </tbody>
    </table>
  );
}
