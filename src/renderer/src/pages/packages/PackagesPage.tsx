import { useState } from 'react';
import { latestText } from '../../../../shared/release-text';
import { Badge, Empty, outcomeTone } from '../../components/bits';
import { usePackages } from '../../stores/packages-store';
import { AddPackage } from './AddPackage';
import { PackageDetail } from './PackageDetail';

export function PackagesPage() {
  const packages = usePackages((s) => s.packages);
  const loaded = usePackages((s) => s.loaded);
  const selectedId = usePackages((s) => s.selectedId);
  const select = usePackages((s) => s.select);
  const removal = usePackages((s) => s.removal);
  const [adding, setAdding] = useState(false);
  const current = packages.find((p) => p.id === selectedId) ?? packages[0];

  return (
    <div className="split stacks">
      <aside className="list-pane">
        <div className="pane-head">
          <h2>Packages</h2>
          <button type="button" className="btn btn-primary btn-small" onClick={() => setAdding(true)}>
            Add package
          </button>
        </div>
        <ul className="list" aria-label="Packages">
          {packages.map((p) => (
            <li key={p.id}>
              <button
                type="button"
                className={`list-item ${current?.id === p.id && !adding ? 'active' : ''}`}
                onClick={() => {
                  select(p.id);
                  setAdding(false);
                }}
              >
                <span className="title">{p.name}</span>
                <span className="muted">
                  {p.provider} · latest {latestText(p.latest) ?? '—'}
                </span>
                <Badge tone={outcomeTone(p.hook.status)}>{p.hook.status}</Badge>
              </button>
            </li>
          ))}
        </ul>
      </aside>
      <main className="main-pane">
        {removal ? (
          <p className="note-line" role="status" data-testid="package-removed">
            {removal}
          </p>
        ) : null}
        {adding ? (
          <AddPackage onDone={() => setAdding(false)} />
        ) : current ? (
          <PackageDetail pkg={current} />
        ) : loaded ? (
          <Empty
            title="No packages yet"
            action={
              <button type="button" className="btn btn-primary" onClick={() => setAdding(true)}>
                Add your first package
              </button>
            }
          >
            Add a package for the GitHub or GitLab repository you publish from. Hookbench gives you a hook URL and a secret to paste
            into the repository's webhook settings; push a semver tag and the release appears here.
          </Empty>
        ) : (
          <p className="muted">Loading packages…</p>
        )}
      </main>
    </div>
  );
}
