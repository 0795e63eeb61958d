import { create } from 'zustand';
import type { AttemptView, EndpointSeriesPoint, MessageView } from '../../../shared/types';
import { call, reportError } from './connection-store';
import { useAttempts, useMessages } from './endpoint-lists';

export type SeriesRange = '1h' | '24h' | '7d';
export const RANGES: Record<SeriesRange, { label: string; spanMs: number; bucketMs: number }> = {
  '1h': { label: 'Last hour', spanMs: 3600_000, bucketMs: 60_000 },
  '24h': { label: 'Last 24 hours', spanMs: 86400_000, bucketMs: 3600_000 },
  '7d': { label: 'Last 7 days', spanMs: 7 * 86400_000, bucketMs: 6 * 3600_000 },
};

interface EndpointActivityState {
  /** Which endpoint the chart (and the attempt and message lists, in endpoint-lists) belong to. */
  endpointId: string | null;
  series: EndpointSeriesPoint[];
  range: SeriesRange;
  since: number;
  load(endpointId: string): Promise<void>;
  loadSeries(): Promise<void>;
  setRange(range: SeriesRange): void;
  onAttempt(attempt: AttemptView): void;
  onMessage(message: MessageView): void;
  /** More messages were queued for this endpoint than the pushes said: read the list again soon. */
  queueGrew(endpointId: string): void;
  /** Its attempt count changed without attempt pushes (sent by another process): read the log and the chart again soon. */
  attemptsChanged(endpointId: string): void;
}

let seriesTimer: ReturnType<typeof setTimeout> | null = null;
let messagesTimer: ReturnType<typeof setTimeout> | null = null;
let attemptsTimer: ReturnType<typeof setTimeout> | null = null;

export const useEndpointActivity = create<EndpointActivityState>((set, get) => ({
  endpointId: null,
  series: [],
  range: '1h',
  since: 0,
  async load(endpointId) {
    if (get().endpointId !== endpointId) set({ endpointId, series: [] });
    await Promise.all([useAttempts.getState().load(endpointId), useMessages.getState().load(endpointId)]);
    await get().loadSeries();
  },
  async loadSeries() {
    const { endpointId, range } = get();
    if (!endpointId) return;
    const { spanMs, bucketMs } = RANGES[range];
    // Buckets start on whole bucket boundaries so the chart does not shift between reloads.
    const since = Math.floor((Date.now() - spanMs) / bucketMs) * bucketMs + bucketMs;
    try {
      const series = await call('endpoints.series', { id: endpointId, since, bucketMs });
      if (get().endpointId === endpointId && get().range === range) set({ series, since });
    } catch (error) {
      reportError(error);
    }
  },
  setRange(range) {
    set({ range });
    void get().loadSeries();
  },
  onAttempt(attempt) {
    if (attempt.endpointId !== get().endpointId) return;
    useAttempts.getState().upsert(attempt);
    if (!seriesTimer) {
      seriesTimer = setTimeout(() => {
        seriesTimer = null;
        void get().loadSeries();
      }, 500);
    }
  },
  attemptsChanged(endpointId) {
    if (endpointId !== get().endpointId || attemptsTimer) return;
    attemptsTimer = setTimeout(() => {
      attemptsTimer = null;
      if (get().endpointId !== endpointId) return;
      void useAttempts.getState().refresh();
      void get().loadSeries();
    }, 300);
  },
  queueGrew(endpointId) {
    if (endpointId !== get().endpointId || messagesTimer) return;
    messagesTimer = setTimeout(() => {
      messagesTimer = null;
      if (get().endpointId === endpointId) void useMessages.getState().refresh();
    }, 300);
  },
  onMessage(message) {
    useMessages.getState().upsert(message);
  },
}));
