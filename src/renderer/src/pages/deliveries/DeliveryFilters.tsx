import { useEffect, useState, type RefObject } from 'react';
import type { DeliveryOutcome, Verdict } from '../../../../shared/types';
import { Kbd } from '../../components/bits';
import { useDebounced } from '../../hooks/useDebounced';
import { hasFilters, OUTCOMES, VERDICTS } from '../../stores/delivery-filters';
import { useDeliveries } from '../../stores/deliveries-store';
import { useInboxes } from '../../stores/inboxes-store';
import { usePackages } from '../../stores/packages-store';
import { TimeRange } from './TimeRange';

/** Marks an inbox among the packages in the one address filter. */
const INBOX_PREFIX = 'inbox:';

const KNOWN_EVENTS = ['push', 'ping', 'create', 'release', 'Tag Push Hook', 'Push Hook', 'System Hook'];

export function DeliveryFilters({ searchRef }: { searchRef: RefObject<HTMLInputElement | null> }) {
  const filters = useDeliveries((s) => s.filters);
  const setFilters = useDeliveries((s) => s.setFilters);
  const clearFilters = useDeliveries((s) => s.clearFilters);
  const rows = useDeliveries((s) => s.rows);
  const packages = usePackages((s) => s.packages);
  const inboxes = useInboxes((s) => s.inboxes);
  const [text, setText] = useState(filters.q ?? '');
  const [eventText, setEventText] = useState(filters.event ?? '');
  const q = useDebounced(text.trim(), 250);
  const event = useDebounced(eventText.trim(), 300);

  useEffect(() => {
    if (q !== (filters.q ?? '')) setFilters({ q: q || undefined });
  }, [q]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if (event !== (filters.event ?? '')) setFilters({ event: event || undefined });
  }, [event]); // eslint-disable-line react-hooks/exhaustive-deps
  // Filters set from elsewhere (an address opened or pasted) show in the boxes.
  useEffect(() => {
    if ((filters.q ?? '') !== q) setText(filters.q ?? '');
  }, [filters.q]); // eslint-disable-line react-hooks/exhaustive-deps
  useEffect(() => {
    if ((filters.event ?? '') !== event) setEventText(filters.event ?? '');
  }, [filters.event]); // eslint-disable-line react-hooks/exhaustive-deps

  /** Applies a typed filter at once (Enter), without waiting for the debounce; the debounce then finds nothing to do. */
  const commit = (key: 'q' | 'event', value: string) => {
    if (value !== (useDeliveries.getState().filters[key] ?? '')) setFilters({ [key]: value || undefined });
  };

  const seen = new Set(KNOWN_EVENTS);
  for (const d of rows.slice(0, 2000)) if (d.event) seen.add(d.event);

  return (
    <div className="filters" role="search" aria-label="Filter deliveries">
      <div className="search">
        <input
          ref={searchRef}
          type="search"
          aria-label="Search deliveries"
          placeholder="Search event, tag, delivery id, reason, headers, body"
          value={text}
          onChange={(e) => setText(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') e.currentTarget.blur();
            // Enter searches now instead of after the typing pause.
            else if (e.key === 'Enter') commit('q', e.currentTarget.value.trim());
          }}
        />
        <Kbd>/</Kbd>
      </div>
      <div className="filter-row">
        <select
          aria-label="Received by"
          value={filters.packageId ?? (filters.hookId ? INBOX_PREFIX + filters.hookId : '')}
          onChange={(e) => {
            const v = e.target.value;
            setFilters(v.startsWith(INBOX_PREFIX) ? { packageId: undefined, hookId: v.slice(INBOX_PREFIX.length) } : { packageId: v || undefined, hookId: undefined });
          }}
        >
          <option value="">All packages and inboxes</option>
          {packages.length ? (
            <optgroup label="Packages">
              {packages.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.name}
                </option>
              ))}
            </optgroup>
          ) : null}
          {inboxes.length ? (
            <optgroup label="Inboxes">
              {inboxes.map((i) => (
                <option key={i.id} value={INBOX_PREFIX + i.id}>
                  {i.name}
                </option>
              ))}
            </optgroup>
          ) : null}
        </select>
        <input
          aria-label="Event"
          list="delivery-events"
          placeholder="Any event"
          value={eventText}
          onChange={(e) => setEventText(e.target.value)}
          onKeyDown={(e) => e.key === 'Enter' && commit('event', e.currentTarget.value.trim())}
        />
        <datalist id="delivery-events">
          {[...seen].map((e) => (
            <option key={e} value={e} />
          ))}
        </datalist>
        <select aria-label="Outcome" value={filters.outcome ?? ''} onChange={(e) => setFilters({ outcome: (e.target.value || undefined) as DeliveryOutcome | undefined })}>
          <option value="">Any outcome</option>
          {OUTCOMES.map((o) => (
            <option key={o} value={o}>
              {o.replace('_', ' ')}
            </option>
          ))}
        </select>
        <select aria-label="Signature" value={filters.verdict ?? ''} onChange={(e) => setFilters({ verdict: (e.target.value || undefined) as Verdict | undefined })}>
          <option value="">Any signature</option>
          {VERDICTS.map((v) => (
            <option key={v} value={v}>
              {v}
            </option>
          ))}
        </select>
        <TimeRange since={filters.since} until={filters.until} onChange={(range) => setFilters(range)} />
        {hasFilters(filters) ? (
          <button
            type="button"
            className="btn btn-small"
            onClick={() => {
              setText('');
              setEventText('');
              clearFilters();
            }}
          >
            Clear
          </button>
        ) : null}
      </div>
    </div>
  );
}
