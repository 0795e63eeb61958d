import { ENGINE_EVENTS } from '../../../../shared/types';
import type { DialectInfo } from '../../../../shared/types';

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
        <label key={name} className="check" title={description}>
          <input type="checkbox" checked={chosen.has(name)} onChange={() => toggle(name)} />
          <span className="mono">{name}</span>
          <span className="muted ellipsis">{description}</span>
        </label>
      ))}
    </fieldset>
  );
  return (
    <div className="event-picker">
      {group(
        'Hookbench events',
        ENGINE_EVENTS.map((e) => [e, ENGINE_DESCRIPTIONS[e] ?? '']),
      )}
      {dialect && dialectEvents.size ? group(`${dialect.label} events (samples you can trigger)`, [...dialectEvents.entries()].filter(([n]) => !ENGINE_DESCRIPTIONS[n])) : null}
    </div>
  );
}
