import { useState } from 'react';
import { fromLocalInput, toLocalInput } from '../../lib/format';

const PRESETS = [
  { id: 'any', label: 'Any time', ms: 0 },
  { id: '15m', label: 'Last 15 min', ms: 15 * 60_000 },
  { id: '1h', label: 'Last hour', ms: 3600_000 },
  { id: '24h', label: 'Last 24 h', ms: 86400_000 },
  { id: '7d', label: 'Last 7 days', ms: 7 * 86400_000 },
  { id: 'custom', label: 'Between…', ms: 0 },
] as const;

type PresetId = (typeof PRESETS)[number]['id'];

interface TimeRangeProps {
  since: number | undefined;
  until: number | undefined;
  onChange(range: { since: number | undefined; until: number | undefined }): void;
}

/** Since/until as presets or two local date-times; until is exclusive, as the engine reads it. */
export function TimeRange({ since, until, onChange }: TimeRangeProps) {
  const [preset, setPreset] = useState<PresetId>(since === undefined && until === undefined ? 'any' : 'custom');
  const shown: PresetId = since === undefined && until === undefined && preset !== 'custom' ? 'any' : preset;
  return (
    <>
      <select
        aria-label="Time range"
        value={shown}
        onChange={(e) => {
          const id = e.target.value as PresetId;
          setPreset(id);
          const p = PRESETS.find((x) => x.id === id)!;
          if (id === 'any') onChange({ since: undefined, until: undefined });
          else if (id !== 'custom') onChange({ since: Date.now() - p.ms, until: undefined });
        }}
      >
        {PRESETS.map((p) => (
          <option key={p.id} value={p.id}>
            {p.label}
          </option>
        ))}
      </select>
      {shown === 'custom' ? (
        <>
          <input
            type="datetime-local"
            aria-label="Since"
            title="Received at or after"
            value={toLocalInput(since)}
            onChange={(e) => onChange({ since: fromLocalInput(e.target.value), until })}
          />
          <input
            type="datetime-local"
            aria-label="Until"
            title="Received before"
            value={toLocalInput(until)}
            onChange={(e) => onChange({ since, until: fromLocalInput(e.target.value) })}
          />
        </>
      ) : null}
    </>
  );
}
