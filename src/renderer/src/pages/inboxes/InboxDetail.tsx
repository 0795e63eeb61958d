import { useState } from 'react';
import type { InboxSummary } from '../../../../shared/types';
import { CopyButton } from '../../components/bits';
import { ConfirmButton } from '../../components/ConfirmButton';
import { Tabs } from '../../components/Tabs';
import { when } from '../../lib/format';
import { useDialects } from '../../stores/dialects-store';
import { useInboxes } from '../../stores/inboxes-store';
import { AnswerPanel } from './AnswerPanel';
import { ForwardPanel } from './ForwardPanel';
import { InboxCaptures } from './InboxCaptures';
import { InboxSettings } from './InboxSettings';
import { RotatePanel } from './RotatePanel';
import { TimelinePanel } from './TimelinePanel';

type Section = 'captures' | 'answer' | 'forward' | 'timeline' | 'secret';

const SECTIONS: { id: Section; label: string }[] = [
  { id: 'captures', label: 'Captures' },
  { id: 'answer', label: 'Answer' },
  { id: 'forward', label: 'Forwarding' },
  { id: 'timeline', label: 'Timeline' },
  { id: 'secret', label: 'Secret' },
];

export function InboxDetail({ inbox }: { inbox: InboxSummary }) {
  const [section, setSection] = useState<Section>('captures');
  /** A capture picked elsewhere on this page (the timeline), opened when the captures show. */
  const [toOpen, setToOpen] = useState<number | null>(null);
  const remove = useInboxes((s) => s.remove);
  const dialect = useDialects((s) => s.dialects.find((d) => d.name === inbox.dialect));
  const sections = inbox.dialect === 'none' ? SECTIONS.filter((s) => s.id !== 'secret') : SECTIONS;

  return (
    <div className="detail" aria-label={`Inbox ${inbox.name}`}>
      <header className="detail-head">
        <div className="title-row">
          <h2>{inbox.name}</h2>
          <ConfirmButton onConfirm={() => void remove(inbox.id)} confirmLabel={`Remove with ${inbox.captures} ${inbox.captures === 1 ? 'capture' : 'captures'}?`}>
            Remove inbox
          </ConfirmButton>
        </div>
        <span className="muted">
          {dialect?.label ?? (inbox.dialect === 'none' ? 'no signature check' : inbox.dialect)} · made {when(inbox.createdAt)}
        </span>
      </header>
      <section className="card" aria-label="Inbox address">
        <dl className="kv">
          <dt>URL</dt>
          <dd>
            <code data-testid="inbox-url">{inbox.url}</code> <CopyButton text={inbox.url} label="Copy URL" />
          </dd>
          <dt>Takes</dt>
          <dd>Any method, sub-path and query under this URL; bodies of any type up to 25 MiB.</dd>
          {inbox.previousSecretUntil ? (
            <>
              <dt>Rotation</dt>
              <dd>The previous secret still verifies until {when(inbox.previousSecretUntil)}.</dd>
            </>
          ) : null}
        </dl>
        <InboxSettings inbox={inbox} defaultTolerance={dialect?.timestampFormat ? 'the dialect’s own' : null} />
      </section>
      <Tabs<Section> label="Inbox sections" value={section} options={sections} onChange={setSection} />
      <div className="inbox-section">
        {section === 'captures' ? (
          <InboxCaptures inbox={inbox} openFirst={toOpen} />
        ) : section === 'answer' ? (
          <AnswerPanel inbox={inbox} />
        ) : section === 'forward' ? (
          <ForwardPanel inbox={inbox} />
        ) : section === 'timeline' ? (
          <TimelinePanel
            inbox={inbox}
            onOpen={(id) => {
              setToOpen(id);
              setSection('captures');
            }}
          />
        ) : (
          <RotatePanel inbox={inbox} />
        )}
      </div>
    </div>
  );
}
