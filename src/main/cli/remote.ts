import { open } from 'node:fs/promises';
import { ApiError, type MethodName, type ParamsOf, type ResultOf } from '../../shared/contract';
import type { ImportResult } from '../../shared/types';
import type { CommandEngine } from './context';
import { savedToken, serverKey } from './profiles';
import { UsageError } from './usage';

export interface RemoteServer {
  url: string;
  token: string;
}

/**
 * The server a command talks to instead of a data dir: --server (or $HOOKBENCH_SERVER), with the
 * token from $HOOKBENCH_TOKEN or the one `hookbench login` saved for that server.
 * `tunnel create --server` names a smee server, as it always has.
 */
export function remoteServer(words: string[], server: string | undefined, env: NodeJS.ProcessEnv = process.env): RemoteServer | null {
  const tunnelCreate = words[0] === 'tunnel' && words[1] === 'create';
  // An empty variable counts as unset (a shell's `HOOKBENCH_TOKEN= hookbench …`).
  const chosen = (tunnelCreate ? undefined : server) || env.HOOKBENCH_SERVER || undefined;
  if (!chosen) return null;
  const url = serverKey(chosen);
  const token = env.HOOKBENCH_TOKEN || savedToken(url);
  if (!token) throw new UsageError(`No token for ${url}: set HOOKBENCH_TOKEN, or save one with "hookbench login --server ${url} --token TOKEN".`);
  return { url, token };
}

type Answer = { result?: unknown; error?: { code: string; message?: string; issues?: string[] } };

export function remoteCall(server: RemoteServer) {
  return async <M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>> => {
    let res: Response;
    try {
      res = await fetch(`${server.url}/api/${method}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${server.token}`, 'content-type': 'application/json' },
        body: JSON.stringify(params),
      });
    } catch (error) {
      throw new Error(`${server.url} did not answer (${((error as Error).cause as Error | undefined)?.message ?? (error as Error).message}).`, { cause: error });
    }
    let body: Answer;
    try {
      body = (await res.json()) as Answer;
    } catch {
      throw new Error(`${server.url} answered ${res.status} without a Hookbench answer: is it a Hookbench server?`);
    }
    if (body.error) {
      const hint = res.status === 401 ? ' Check HOOKBENCH_TOKEN or log in again with "hookbench login".' : '';
      throw new ApiError(body.error.code as ApiError['code'], (body.error.message ?? `HTTP ${res.status}`) + hint, body.error.issues);
    }
    return body.result as ResultOf<M>;
  };
}

/** The work a local command does in process, done through the server's API instead. */
export function remoteEngine(call: ReturnType<typeof remoteCall>): CommandEngine {
  return {
    // The server's own dispatcher sends it; the command waits for the attempt to be recorded.
    sendNow: () => Promise.resolve(false),
    sendAll: () => Promise.reject(new UsageError('trigger --count measures sends from this machine: run it on the server (without --server).')),
    rotateKey: () => Promise.reject(new UsageError('secrets rotate-key works on the key and the database themselves: run it on the server (without --server).')),
    // The server converts its own database when it starts.
    prepareVacuum: () => null,
    async importFile(path, progress): Promise<ImportResult> {
      const file = await open(path, 'r').catch((error: unknown) => Promise.reject(new UsageError(`${path} cannot be read: ${(error as Error).message}`)));
      try {
        const { size } = await file.stat();
        const { uploadId, chunkBytes } = await call('import.begin', { name: path.split(/[\\/]/).pop() ?? path, size });
        const buffer = Buffer.alloc(chunkBytes);
        let offset = 0;
        while (offset < size) {
          const { bytesRead } = await file.read(buffer, 0, chunkBytes, offset);
          if (bytesRead === 0) break;
          await call('import.chunk', { uploadId, offset, contentBase64: buffer.subarray(0, bytesRead).toString('base64') });
          offset += bytesRead;
          progress(offset, size, 'uploading');
        }
        // A file the server refuses is the same mistake as on a data dir: a usage error, nothing imported.
        return await call('import.finish', { uploadId }).catch((error: unknown) =>
          Promise.reject(error instanceof ApiError && error.code === 'invalid_params' ? new UsageError(error.message) : error),
        );
      } finally {
        await file.close();
      }
    },
  };
}
