import { create } from 'zustand';
import type { Api, MethodName, ParamsOf, ResultOf } from '../../../shared/contract';
import type { LiveState } from '../api/transport';
import { describeError } from '../lib/errors';

interface ConnectionState {
  api: Api | null;
  live: LiveState;
  /** A page-wide problem, already in words a person can act on. */
  error: string | null;
  fail(error: unknown): void;
  dismiss(): void;
}

export const useConnection = create<ConnectionState>((set) => ({
  api: null,
  live: 'connecting',
  error: null,
  fail: (error) => set({ error: describeError(error) }),
  dismiss: () => set({ error: null }),
}));

/** Calls the engine from a store; rejects when the renderer is not connected yet. */
export function call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
  const api = useConnection.getState().api;
  if (!api) return Promise.reject(new Error('Not connected to the engine yet.'));
  return api.call(method, params);
}

/** Reports a failed background call in the banner instead of losing it. */
export const reportError = (error: unknown) => useConnection.getState().fail(error);
