import type { HookRotation, PackageSummary } from '../../../../shared/types';
import { CopyButton } from '../../components/bits';
import { shown } from '../../lib/bytes';
import { when } from '../../lib/format';
import { usePackageOps } from '../../stores/package-ops-store';

/** A rotated hook secret, shown this once, with where the rotation got to. */
export function RotationView({ pkg, rotation: r }: { pkg: PackageSummary; rotation: HookRotation }) {
  const dismiss = usePackageOps((s) => s.dismissRotation);
  return (
    <section className="card secret-once" aria-label="New hook secret">
      <h3>{r.completed ? 'New hook secret — copy it now' : 'Rotation not finished'}</h3>
      <p>{shown(r.message)}</p>
      {r.error ? (
        <p className="error">
          {shown(r.error)}
          {r.stoppedAt ? ` (stopped at: ${r.stoppedAt.replace('_', ' ')}; rotate again to resume)` : ''}
        </p>
      ) : null}
      <dl className="kv">
        <dt>Secret</dt>
        <dd className="secret-row">
          <code data-testid="rotated-secret">{r.secret}</code>
          <CopyButton text={r.secret} label="Copy secret" />
        </dd>
        {pkg.provider === 'gitlab' ? (
          <>
            <dt>Signing token</dt>
            <dd className="secret-row">
              <code>{r.signingToken}</code>
              <CopyButton text={r.signingToken} />
            </dd>
          </>
        ) : null}
        <dt>Hook URL</dt>
        <dd>
          <code>{r.hookUrl}</code> <CopyButton text={r.hookUrl} />
        </dd>
        <dt>Old secret</dt>
        <dd>
          {r.previousSecretValidUntil
            ? `keeps verifying until ${when(r.previousSecretValidUntil)}`
            : r.mode === 'upstream' && !r.completed
              ? 'keeps verifying until the new hook exists upstream'
              : 'no longer verifies'}
        </dd>
      </dl>
      <p className="muted">
        {r.mode === 'manual'
          ? "Paste the new secret into the repository's webhook settings. Hookbench shows it only this once."
          : 'Hookbench re-created the hook upstream with the new secret; keep a copy only if something else checks it.'}
      </p>
      <button type="button" className="btn btn-primary" onClick={() => dismiss(pkg.id)}>
        I have copied it
      </button>
    </section>
  );
}
