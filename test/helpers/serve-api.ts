import type { ServeHandle } from './serve-process';

/**
 * One control API call to a running `hookbench serve` (POST /api/METHOD with the launch token its
 * UI URL carries), as the UI makes it; resolves with the result, or throws with the error's message.
 */
export async function call<T>(serve: Pick<ServeHandle, 'ui'>, method: string, params: unknown = {}): Promise<T> {
  const ui = new URL(serve.ui);
  const res = await fetch(`${ui.origin}/api/${method}`, {
    method: 'POST',
    headers: { authorization: `Bearer ${ui.searchParams.get('token')}`, 'content-type': 'application/json' },
    body: JSON.stringify(params),
  });
  const answer = (await res.json()) as { result?: T; error?: { code?: string; message: string } };
  if (!res.ok || answer.error) throw new Error(`${method}: ${answer.error?.message ?? `HTTP ${res.status}`}`);
  return answer.result as T;
}
