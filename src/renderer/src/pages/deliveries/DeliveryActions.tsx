import { useEffect, useState } from 'react';
import type { DeliveryDetail, FixtureDetail } from '../../../../shared/types';
import { fromBase64, utf8OrNull } from '../../lib/bytes';
import { useDebugger } from '../../stores/debugger-store';
import { useFixtures } from '../../stores/fixtures-store';
import { useInboxes } from '../../stores/inboxes-store';
import { useNav } from '../../stores/nav-store';
import { usePackages } from '../../stores/packages-store';
import { useReplay } from '../../stores/replay-store';
import { DeleteOne } from './DeleteOne';
import { KeepToggle } from './KeepToggle';

/** What can be done with a delivery: replay it, keep it as a fixture, debug its signature. */
export function DeliveryActions({ detail, onClose }: { detail: DeliveryDetail; onClose(): void }) {
  const packages = usePackages((s) => s.packages);
  const inboxes = useInboxes((s) => s.inboxes);
  const prefill = useDebugger((s) => s.prefill);
  const openReplay = useReplay((s) => s.open);
  const saveRef = useFixtures((s) => s.saveRef);
  const selectFixture = useFixtures((s) => s.select);
  const go = useNav((s) => s.go);
  const [saved, setSaved] = useState<FixtureDetail | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setSaved(null), [detail.id]);

  const openInDebugger = () => {
    const bytes = fromBase64(detail.bodyBase64);
    // A package's provider, or an inbox's dialect (unless it checks none): the dialect to debug in.
    const pkg = packages.find((p) => p.id === detail.packageId);
    const inbox = inboxes.find((i) => i.id === detail.hookId);
    const provider = pkg?.provider ?? (inbox && inbox.dialect !== 'none' ? inbox.dialect : undefined);
    const owner = pkg ? `package ${pkg.name}` : inbox ? `inbox ${inbox.name}` : detail.method ? 'its inbox' : null;
    prefill({
      headers: detail.headers,
      bodyBase64: detail.bodyBase64,
      bodyText: utf8OrNull(bytes) ?? '',
      bodyLength: bytes.length,
      origin: `delivery #${detail.id}`,
      ...(provider ? { dialect: provider } : {}),
      ...(owner ? { stored: { deliveryId: detail.id, label: owner } } : {}),
    });
    go('debugger');
  };

  const replay = () =>
    openReplay(
      {
        ref: `delivery:${detail.id}`,
        label: `delivery #${detail.id}`,
        headers: detail.headers,
        bodyBase64: detail.bodyBase64,
        event: detail.event,
        packageId: detail.packageId && packages.some((p) => p.id === detail.packageId) ? detail.packageId : null,
        inboxId: detail.method && inboxes.some((i) => i.id === detail.hookId) ? detail.hookId : null,
        method: detail.method ?? null,
        path: detail.path ?? null,
        url: null,
      },
      packages[0]?.id ?? null,
    );

  const save = async () => {
    setSaving(true);
    const name = `${detail.event ?? 'request'}${detail.tag ? ` ${detail.tag}` : ''} (delivery #${detail.id})`;
    const fixture = await saveRef(`delivery:${detail.id}`, name);
    setSaving(false);
    if (fixture) setSaved(fixture);
  };

  return (
    <>
      <div className="row wrap">
        <button type="button" className="btn btn-small btn-primary" onClick={replay} title="Send it again: exact, re-signed or edited">
          Replay…
        </button>
        <button type="button" className="btn btn-small" onClick={() => void save()} disabled={saving}>
          {saving ? 'Saving…' : 'Save as fixture'}
        </button>
        <button type="button" className="btn btn-small" onClick={openInDebugger}>
          Open in debugger
        </button>
        <KeepToggle id={detail.id} keptAt={detail.keptAt ?? null} />
        <button type="button" className="btn btn-small" onClick={onClose} title="Close (Esc)">
          Close
        </button>
        <DeleteOne id={detail.id} onDeleted={onClose} />
      </div>
      {saved ? (
        <p className="note-line full-row" role="status" data-testid="fixture-saved">
          Saved as fixture “{saved.name}”.{' '}
          <button
            type="button"
            className="link"
            onClick={() => {
              void selectFixture(saved.id);
              go('fixtures');
            }}
          >
            Open it in Fixtures
          </button>
        </p>
      ) : null}
    </>
  );
}
