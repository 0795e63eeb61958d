import type { PackageSummary } from '../../../../shared/types';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Elapsed } from '../../components/Elapsed';
import { ErrorNote } from '../../components/bits';
import { usePackageOps, type PackageOp } from '../../stores/package-ops-store';
import { usePackages } from '../../stores/packages-store';
import { AttachConnection } from './AttachConnection';
import { CatchUpView } from './CatchUpView';
import { PingView } from './PingView';
import { ProviderHistory } from './ProviderHistory';
import { RotationView } from './RotationView';

const WORKING: Record<PackageOp, string> = {
  ping: 'Asking the provider to ping the hook, then waiting up to 10 s for it to arrive…',
  rotate: 'Rotating the hook secret…',
  catchUp: 'Catching up: redelivering failed deliveries and reconciling tags with the provider…',
  history: "Reading the provider's delivery log…",
};

/** Ping, rotate, catch up, the provider's own delivery log, and removal, for one package's hook. */
export function PackageOps({ pkg }: { pkg: PackageSummary }) {
  const ops = usePackageOps((s) => s.byPackage[pkg.id]);
  const { ping, rotate, catchUp, history } = usePackageOps.getState();
  const busy = ops?.busy ?? null;
  // Without a connection these would only fail: they are off, and the note below says what they need.
  const managed = Boolean(pkg.connectionId);
  const needs = managed ? null : 'Needs a connection: see below';
  return (
    <>
      <div className="row wrap ops">
        <button type="button" className="btn btn-small" disabled={busy !== null || !managed} onClick={() => void ping(pkg.id)} title={needs ?? 'Have the provider send a ping and see it arrive'}>
          Ping
        </button>
        <ConfirmButton onConfirm={() => void rotate(pkg.id)} confirmLabel="Click again to rotate the hook">
          Rotate hook secret
        </ConfirmButton>
        <button type="button" className="btn btn-small" disabled={busy !== null || !managed} onClick={() => void catchUp(pkg.id)} title={needs ?? 'Redeliver what failed and reconcile tags'}>
          Catch up
        </button>
        <button type="button" className="btn btn-small" disabled={busy !== null || !managed} onClick={() => void history(pkg.id)} title={needs ?? 'What the provider says it delivered'}>
          Provider log
        </button>
        <ConfirmButton
          onConfirm={() => void usePackages.getState().remove(pkg.id)}
          confirmLabel={pkg.connectionId ? 'Click again to remove it and its hook upstream' : 'Click again to remove the package'}
        >
          Remove package
        </ConfirmButton>
      </div>
      {managed ? null : <AttachConnection pkg={pkg} busy={busy !== null} />}
      {busy ? (
        <p className="note-line working" role="status" data-testid="package-op-busy">
          {WORKING[busy.op]} <Elapsed since={busy.since} />
        </p>
      ) : null}
      <ErrorNote>{ops?.error ? ops.error.message : null}</ErrorNote>
      {ops?.rotation ? <RotationView pkg={pkg} rotation={ops.rotation} /> : null}
      {ops?.ping ? <PingView ping={ops.ping} /> : null}
      {ops?.catchUp ? <CatchUpView result={ops.catchUp} /> : null}
      {ops?.history ? <ProviderHistory pkgId={pkg.id} history={ops.history} busy={busy !== null} /> : null}
    </>
  );
}
