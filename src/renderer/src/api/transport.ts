import type { Api, MethodName, ParamsOf, PushEvent, ResultOf } from '../../../shared/contract';
import type { CallOutcome } from '../../../shared/methods';

export class CallError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

export function unwrap<R>(outcome: CallOutcome<R>): R {
  if (outcome.ok) return outcome.result;
  throw new CallError(outcome.error.code, outcome.error.message);
}

type Bridge = Record<MethodName, (params: unknown) => Promise<CallOutcome>> & {
  subscribe(listener: (event: PushEvent) => void): () => void;
};

declare global {
  interface Window {
    hookbench?: Bridge;
  }
}

/** Inside Electron: the preload bridge. */
function ipcApi(bridge: Bridge): Api {
  return {
    call: async <M extends MethodName>(method: M, params: ParamsOf<M>) => unwrap((await bridge[method](params)) as CallOutcome<ResultOf<M>>),
    subscribe: (listener) => bridge.subscribe(listener),
  };
}

/** In a browser under `hookbench serve`: the control API with the launch token. */
function httpApi(token: string): Api {
  return {
    async call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> {
      const res = await fetch(`/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
      const body = (await res.json()) as { result?: ResultOf<M>; error?: { code: string; message: string } };
      if (body.error) throw new CallError(body.error.code, body.error.message);
      return body.result as ResultOf<M>;
    },
    subscribe(listener) {
      const source = new EventSource(`/api/events?token=${encodeURIComponent(token)}`);
      source.onmessage = (message: MessageEvent<string>) => listener(JSON.parse(message.data) as PushEvent);
      return () => source.close();
    },
  };
}

function launchToken(): string {
  const fromUrl = new URLSearchParams(location.search).get('token');
  if (fromUrl) {
    sessionStorage.setItem('hookbench.token', fromUrl);
    // Keep the token out of the address bar and history once it is stored.
    history.replaceState(null, '', location.pathname + location.hash);
    return fromUrl;
  }
  return sessionStorage.getItem('hookbench.token') ?? '';
}

export function createApi(): Api {
  return window.hookbench ? ipcApi(window.hookbench) : httpApi(launchToken());
}
