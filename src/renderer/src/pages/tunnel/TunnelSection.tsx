import { Badge, CopyButton, Empty, ErrorNote, type Tone } from '../../components/bits';
import type { TunnelState } from '../../../../shared/types';
import { useTunnel } from '../../stores/tunnel-store';
import { TunnelCreateForm } from './TunnelCreateForm';
import { TunnelGaps } from './TunnelGaps';
import { TunnelStatusList } from './TunnelStatusList';

const TONE: Record<TunnelState, Tone> = { connected: 'ok', connecting: 'info', reconnecting: 'warn', stalled: 'bad', disconnected: 'muted' };

/** The smee tunnel: its state as the engine reports it (pushed live), and what can be done with it. */
export function TunnelSection() {
  const status = useTunnel((s) => s.status);
  const loaded = useTunnel((s) => s.loaded);
  const busy = useTunnel((s) => s.busy);
  const created = useTunnel((s) => s.created);
  const error = useTunnel((s) => s.error);
  const connect = useTunnel((s) => s.connect);
  const disconnect = useTunnel((s) => s.disconnect);
  const hasChannel = !!status?.channelUrl;

  return (
    <section className="card" aria-label="Tunnel">
      <div className="section-head">
        <h3>
          Tunnel{' '}
          {status ? (
            <Badge tone={TONE[status.state]}>
              <span data-testid="tunnel-state">{status.state}</span>
            </Badge>
          ) : null}
        </h3>
        {hasChannel ? (
          <div className="row">
            {status!.enabled ? (
              <button type="button" className="btn btn-small" disabled={busy !== null} onClick={() => void disconnect()}>
                {busy === 'disconnect' ? 'Disconnecting…' : 'Disconnect'}
              </button>
            ) : (
              <button type="button" className="btn btn-small btn-primary" disabled={busy !== null} onClick={() => void connect()}>
                {busy === 'connect' ? 'Connecting…' : 'Connect'}
              </button>
            )}
          </div>
        ) : null}
      </div>
      <ErrorNote>{error}</ErrorNote>
      {!loaded ? (
        <p className="muted">Reading the tunnel's status…</p>
      ) : status && hasChannel ? (
        <>
          <div className="secret-row">
            <code data-testid="tunnel-channel">{status.channelUrl}</code>
            <CopyButton text={status.channelUrl!} label="Copy channel URL" />
          </div>
          <TunnelStatusList status={status} />
          <TunnelGaps gaps={status.gaps ?? []} />
        </>
      ) : (
        <Empty title="No tunnel yet">
          A tunnel lets GitHub or GitLab reach this machine without opening a port: the provider posts to a smee.io channel, and
          Hookbench reads the channel's events into its receiver. Create a channel below; hook URLs then point at it.
        </Empty>
      )}
      {created?.notes.length ? (
        <ul className="notes" aria-label="About this tunnel">
          {created.notes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      <TunnelCreateForm replacing={hasChannel} />
    </section>
  );
}
