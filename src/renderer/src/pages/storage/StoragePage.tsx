import { useEffect } from 'react';
import { useStorage } from '../../stores/storage-store';
import { BackupSection } from './BackupSection';
import { StorageSummary } from './StorageSummary';
import { RetentionSection } from './RetentionSection';

export function StoragePage() {
  const load = useStorage((s) => s.load);
  const status = useStorage((s) => s.status);
  const loading = useStorage((s) => s.loading);
  useEffect(() => {
    void load();
  }, [load]);
  return (
    <main className="main-pane full storage-page">
      <div className="pane-head flush">
        <h2>Storage</h2>
        <button type="button" className="btn btn-small" disabled={loading} onClick={() => void load()}>
          {loading ? 'Measuring…' : 'Refresh'}
        </button>
      </div>
      <section className="card" aria-label="Disk use">
        {status ? <StorageSummary status={status} /> : <p className="muted">Measuring the data dir…</p>}
      </section>
      {status ? <RetentionSection status={status} /> : null}
      <BackupSection />
    </main>
  );
}
