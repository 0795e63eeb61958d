import { Badge, CopyButton, Empty, ErrorNote, type Tone } from '../../components/bits';
import { ConfirmButton } from '../../components/ConfirmButton';
import type { TunnelState } from '../../../../shared/types';
import { useTunnel } from '../../stores/tunnel-store';
import { HookChanges } from './HookChanges';
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
  const remove = useTunnel((s) => s.remove);
  const moved = useTunnel((s) => s.moved);
  const removedNotes = useTunnel((s) => s.removedNotes);
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
            <ConfirmButton confirmLabel="Click again to remove" onConfirm={() => void remove()}>
              {busy === 'remove' ? 'Removing…' : 'Remove tunnel'}
            </ConfirmButton>
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
          {!status.enabled && status.hookUrlsViaTunnel ? (
            <p className="reason warn-note" role="status" data-testid="tunnel-off-note">
              Turned off, but hook URLs still point at this channel: what providers send there meanwhile is lost (smee keeps nothing). Connect again, or remove the tunnel to point hooks back at the
              receiver directly.
            </p>
          ) : null}
          <TunnelStatusList status={status} />
          <TunnelGaps gaps={status.gaps ?? []} />
        </>
      ) : (
        <Empty title="No tunnel yet">
          A tunnel lets GitHub or GitLab reach this machine without opening a port: the provider posts to a smee.io channel, and Hookbench reads the channel's events into its receiver. Create a
          channel below; hook URLs then point at it.
        </Empty>
      )}
      {removedNotes?.length ? (
        <ul className="notes" aria-label="Tunnel removed">
          {removedNotes.map((n) => (
            <li key={n}>{n}</li>
          ))}
        </ul>
      ) : null}
      {moved ? <HookChanges by={moved.by} hooks={moved.hooks} /> : null}
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
