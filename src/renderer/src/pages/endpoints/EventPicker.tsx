import { ENGINE_EVENTS } from '../../../../shared/types';
import type { DialectInfo } from '../../../../shared/types';
import { HelpText, plainHelp } from '../../components/HelpText';

/** What a release event goes out as, for dialects whose receivers only know their own events (see outbound/render.ts). */
const RELEASE_WIRE_NAME: Record<string, string> = { repsy: 'package.deployed', sigmagit: 'push', github: 'push', gitea: 'push' };

const ENGINE_DESCRIPTIONS: Record<string, string> = {
  'package.created': 'A package was added',
  'package.updated': 'A package changed',
  'package.deleted': 'A package was removed',
  'release.published': 'A tag was ingested as a release',
  'release.checks_failed': 'A release failed a blocking check',
  'release.tag_deleted': "A release's tag was deleted",
};

interface Props {
  dialect: DialectInfo | undefined;
  value: string[];
  onChange(events: string[]): void;
}

export function EventPicker({ dialect, value, onChange }: Props) {
  const chosen = new Set(value);
  const toggle = (name: string) => {
    const next = new Set(chosen);
    if (next.has(name)) next.delete(name);
    else next.add(name);
    onChange([...next]);
  };
  const dialectEvents = new Map<string, string>();
  for (const e of dialect?.events ?? []) if (!dialectEvents.has(e.name)) dialectEvents.set(e.name, e.description);
  const group = (title: string, events: [string, string][]) => (
    <fieldset className="checks" aria-label={title}>
      <legend>{title}</legend>
      {events.map(([name, description]) => (
        <label key={name} className="check" title={plainHelp(description)}>
          <input type="checkbox" checked={chosen.has(name)} onChange={() => toggle(name)} />
          <span className="mono">{name}</span>
          <span className="muted ellipsis">
            <HelpText text={description} />
          </span>
        </label>
      ))}
    </fieldset>
  );
  const releaseAs = dialect ? RELEASE_WIRE_NAME[dialect.name] : undefined;
  return (
    <div className="event-picker">
      {group(
        'Hookbench events',
        ENGINE_EVENTS.map((e) => [e, ENGINE_DESCRIPTIONS[e] ?? '']),
      )}
      {dialect && dialectEvents.size ? group(`${dialect.label} events (samples you can trigger)`, [...dialectEvents.entries()].filter(([n]) => !ENGINE_DESCRIPTIONS[n])) : null}
      <p className="hint-text" data-testid="event-wire-names">
        {releaseAs ? (
          <>
            {dialect?.label} receivers only know their own events: <code>release.published</code> is sent to them as <code>{releaseAs}</code>
            {releaseAs === 'push' ? ' (a push of the tag)' : ''}.
          </>
        ) : (
          <>
            Hookbench events go out under their own names here. For receivers that only know their own, <code>release.published</code> is sent as{' '}
            <code>package.deployed</code> (Repsy) or <code>push</code> of the tag (Sigmagit).
          </>
        )}
      </p>
    </div>
  );
}
