import { useEffect, useState } from 'react';
import type { EndpointSummary } from '../../../../shared/types';
import { Badge } from '../../components/bits';
import { Tabs } from '../../components/Tabs';
import { duration, when } from '../../lib/format';
import { RANGES, useEndpointActivity, type SeriesRange } from '../../stores/endpoint-activity-store';
import { useDialects } from '../../stores/dialects-store';
import { LoadMore, withTotal } from '../../components/LoadMore';
import { useAttempts, useMessages } from '../../stores/endpoint-lists';
import { AttemptLog } from './AttemptLog';
import { EndpointActions } from './EndpointActions';
import { EndpointStats } from './EndpointStats';
import { MessageList } from './MessageList';
import { ResendFailed } from './ResendFailed';
import { SeriesChart } from './SeriesChart';
import { TriggerBox } from './TriggerBox';

const waitingCount = (n: number) => (n === 1 ? '1 message waits' : `${n.toLocaleString()} messages wait`);

export function EndpointDetail({ endpoint }: { endpoint: EndpointSummary }) {
  const activity = useEndpointActivity();
  const attempts = useAttempts();
  const messages = useMessages();
  const dialect = useDialects((s) => s.dialects.find((d) => d.name === endpoint.dialect));
  const [log, setLog] = useState<'attempts' | 'messages'>('attempts');
  const [note, setNote] = useState<string | null>(null);

  useEffect(() => {
    setNote(null);
    void useEndpointActivity.getState().load(endpoint.id);
  }, [endpoint.id]);

  const mine = activity.endpointId === endpoint.id;
  const mineAttempts = attempts.key === endpoint.id;
  const mineMessages = messages.key === endpoint.id;
  const range = RANGES[activity.range];

  return (
    <div className="detail" aria-label={`Endpoint ${endpoint.name}`}>
      <header className="detail-head">
        <div className="title-row">
          <h2>
            {endpoint.name}{' '}
            <Badge tone={endpoint.active ? 'ok' : 'bad'}>{endpoint.active ? 'active' : 'disabled'}</Badge>
          </h2>
          <EndpointActions endpoint={endpoint} onNote={setNote} />
        </div>
        <span className="muted">
          <span className="mono">{endpoint.url}</span> · {dialect?.label ?? endpoint.dialect} · {endpoint.events.join(', ')}
        </span>
        <span className="muted">
          Retries: {endpoint.effectiveRetryDelays.length ? endpoint.effectiveRetryDelays.map(duration).join(', ') : 'none'}
          {endpoint.retryDelays === null ? ' (dialect default)' : ''} · timeout {endpoint.timeoutMs / 1000} s · up to {endpoint.maxInFlight} in flight
          {endpoint.rotatingUntil ? ` · previous secret valid until ${when(endpoint.rotatingUntil)}` : ''}
        </span>
      </header>
      {!endpoint.active ? (
        <p className="reason warn-note" role="status" data-testid="endpoint-disabled">
          Disabled{endpoint.disabledReason ? `: ${endpoint.disabledReason}` : ''}. Nothing is sent, nothing is dropped:{' '}
          {waitingCount(endpoint.stats.pendingMessages)} and new events keep queuing until you enable it.
        </p>
      ) : endpoint.consecutiveFailures > 0 ? (
        <p className="reason warn-note" role="status">
          The last {endpoint.consecutiveFailures} {endpoint.consecutiveFailures === 1 ? 'attempt' : 'attempts'} failed. Open one below to see what the URL
          answered.
        </p>
      ) : null}
      {note ? (
        <p className="note-line" role="status" data-testid="endpoint-note">
          {note}
        </p>
      ) : null}
      <EndpointStats stats={endpoint.stats} active={endpoint.active} />
      <section className="card">
        <div className="section-head">
          <h3>Success and latency</h3>
          <Tabs<SeriesRange>
            label="Chart range"
            value={activity.range}
            onChange={activity.setRange}
            options={(Object.keys(RANGES) as SeriesRange[]).map((id) => ({ id, label: RANGES[id].label.replace('Last ', '') }))}
          />
        </div>
        <SeriesChart points={mine ? activity.series : []} since={activity.since} bucketMs={range.bucketMs} spanMs={range.spanMs} />
      </section>
      <section className="card">
        <div className="toolbar">
          <TriggerBox key={endpoint.id} endpoint={endpoint} onNote={setNote} />
          <ResendFailed endpointId={endpoint.id} failed={endpoint.stats.failedMessages} onNote={setNote} />
        </div>
      </section>
      <section className="card">
        <div className="section-head">
          <Tabs<'attempts' | 'messages'>
            label="Log"
            value={log}
            onChange={setLog}
            options={[
              { id: 'attempts', label: withTotal('Attempts', mineAttempts ? attempts.total : null) },
              { id: 'messages', label: withTotal('Messages', mineMessages ? messages.total : null) },
            ]}
          />
          <span className="muted">live</span>
        </div>
        {log === 'attempts' ? (
          <>
            <AttemptLog attempts={mineAttempts ? attempts.items : []} onNote={setNote} />
            {mineAttempts ? <LoadMore list={attempts} what="attempts" /> : null}
          </>
        ) : (
          <>
            <MessageList messages={mineMessages ? messages.items : []} endpointActive={endpoint.active} onNote={setNote} />
            {mineMessages ? <LoadMore list={messages} what="messages" /> : null}
          </>
        )}
      </section>
    </div>
  );
}
