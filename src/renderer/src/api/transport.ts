import type { Api, MethodName, ParamsOf, PushEvent, ResultOf } from '../../../shared/contract';
import type { CallOutcome } from '../../../shared/methods';

export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
  }
}

export function unwrap<R>(outcome: CallOutcome<R>): R {
  if (outcome.ok) return outcome.result;
  throw new CallError(outcome.error.code, outcome.error.message, outcome.error.issues);
}

type Bridge = Record<MethodName, (params: unknown) => Promise<CallOutcome>> & {
  subscribe(listener: (event: PushEvent) => void): () => void;
};

declare global {
  interface Window {
    hookbench?: Bridge;
  }
}

export type LiveState = 'connecting' | 'live' | 'reconnecting';
type LiveListener = (state: LiveState) => void;
const liveListeners = new Set<LiveListener>();
let liveState: LiveState = 'connecting';

function setLive(state: LiveState): void {
  if (state === liveState) return;
  liveState = state;
  for (const l of liveListeners) l(state);
}

/** The push channel's state, for the status indicator and to resync after a reconnect. */
export function onLiveState(listener: LiveListener): () => void {
  liveListeners.add(listener);
  listener(liveState);
  return () => liveListeners.delete(listener);
}

const TOKEN_KEY = 'hookbench.token';
type TokenListener = (rejected: boolean) => void;
const tokenListeners = new Set<TokenListener>();

/** A shared server answered that it needs a (valid) API token: the UI asks for one. */
export function onTokenRequired(listener: TokenListener): () => void {
  tokenListeners.add(listener);
  return () => tokenListeners.delete(listener);
}

/** Kept for this tab only, like the launch token. */
export function keepToken(token: string): void {
  sessionStorage.setItem(TOKEN_KEY, token.trim());
}

/** Inside Electron: the preload bridge. */
function ipcApi(bridge: Bridge): Api {
  return {
    call: async <M extends MethodName>(method: M, params: ParamsOf<M>) => unwrap((await bridge[method](params)) as CallOutcome<ResultOf<M>>),
    subscribe: (listener) => {
      setLive('live');
      return bridge.subscribe(listener);
    },
  };
}

/** In a browser under `hookbench serve`: the control API with the launch token. */
function httpApi(token: string): Api {
  return {
    async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      let res: Response;
      try {
        res = await fetch(`/api/${method}`, {
          method: 'POST',
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
          body: JSON.stringify(params),
        });
      } catch {
        throw new CallError('unreachable', 'The engine did not answer.');
      }
      let body: { result?: ResultOf<M>; error?: { code: string; message: string; issues?: string[] } };
      try {
        body = (await res.json()) as typeof body;
      } catch {
        throw new CallError(res.status >= 500 ? 'unreachable' : 'internal', `The engine answered ${res.status} without a readable body.`);
      }
      if (body.error?.code === 'token_required') for (const l of tokenListeners) l(token !== '');
      if (body.error) throw new CallError(body.error.code, body.error.message ?? `HTTP ${res.status}`, body.error.issues);
      return body.result as ResultOf<M>;
    },
    subscribe(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => listener(JSON.parse(message.data) as PushEvent);
      source.onopen = () => setLive('live');
      // EventSource reconnects by itself; whatever was pushed meanwhile is missed, so say so.
      source.onerror = () => setLive('reconnecting');
      return () => source.close();
    },
  };
}

function launchToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem(TOKEN_KEY, fromUrl);
    // Keep the token out of the address bar and history once it is stored.
    history.replaceState(null, '', location.pathname + location.hash);
    return fromUrl;
  }
  return sessionStorage.getItem(TOKEN_KEY) ?? '';
}

export function createApi(): Api {
  return window.hookbench ? ipcApi(window.hookbench) : httpApi(launchToken());
}
