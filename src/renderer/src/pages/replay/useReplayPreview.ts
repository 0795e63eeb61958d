import { useEffect, useMemo, useState } from 'react';
import type { ReplayPreview as EnginePreview, ReplayEffect } from '../../../../shared/types';
import { useDebounced } from '../../hooks/useDebounced';
import { describeError } from '../../lib/errors';
import { replayable, type Pairs } from '../../lib/replay-request';
import { call } from '../../stores/connection-store';
import { replayParams, type ReplayForm, type ReplaySource } from '../../stores/replay-store';

export interface ReplayPreview {
  headers: Pairs;
  /** Which dialect signs it, or null when it is sent as it is. */
  signedAs: string | null;
  notes: string[];
  /** Into this Hookbench: what the replay sets off there. */
  effect: ReplayEffect | null;
  /** Where it goes, as the engine will send it (hookbench:/… for this Hookbench's own receiver). */
  target: string | null;
  /** The method it goes with there, as the engine will send it. */
  method: string | null;
  error: string | null;
  pending: boolean;
}

type Answer = { key: object; preview: EnginePreview } | { key: object; error: string };

/**
 * The headers a replay will send, updated as the user types (debounced). The engine builds
 * them with the same code that sends, so what is shown is what goes out.
 */
export function useReplayPreview(source: ReplaySource, form: ReplayForm): ReplayPreview {
  const settled = useDebounced(form, 250);
  const params = useMemo(() => replayParams(source, settled), [source, settled]);
  const [answer, setAnswer] = useState<Answer | null>(null);

  useEffect(() => {
    if (typeof params === 'string') return;
    let current = true;
    call('replay.preview', params).then(
      (preview) => current && setAnswer({ key: params, preview }),
      (error: unknown) => current && setAnswer({ key: params, error: describeError(error) }),
    );
    return () => {
      current = false;
    };
  }, [params]);

  const fresh = answer !== null && answer.key === params;
  const pending = settled !== form || (typeof params !== 'string' && !fresh);
  // Until an answer comes, the last one stands; before any, the captured headers.
  const last = answer && 'preview' in answer ? answer.preview : null;
  const headers = last?.headers ?? replayable(source.headers);
  if (typeof params === 'string') return { headers, signedAs: null, notes: [], effect: null, target: null, method: null, error: params, pending };
  if (fresh && 'error' in answer) return { headers, signedAs: null, notes: [], effect: null, target: null, method: null, error: answer.error, pending };
  return { headers, signedAs: last?.signedAs ?? null, notes: last?.notes ?? [], effect: last?.effect ?? null, target: last?.targetUrl ?? null, method: last?.method ?? null, error: null, pending };
}
