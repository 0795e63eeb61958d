import { spawn, type ChildProcess } from 'node:child_process';
import { HOOKBENCH_BIN } from './serve-process';

export interface DispatchHandle {
  child: ChildProcess;
  pid: number;
  /** Sends the signal and resolves once the process is gone. */
  stop(signal?: NodeJS.Signals): Promise<void>;
}

/** Starts `hookbench dispatch` on a store and resolves once it says it is dispatching. Needs `npm run build`. */
export function startDispatch(args: string[], env: Record<string, string>): Promise<DispatchHandle> {
  const child = spawn(process.execPath, [HOOKBENCH_BIN, 'dispatch', ...args, '--json'], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve, reject) => {
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      try {
        JSON.parse(stdout);
      } catch {
        return; // pretty-printed over several lines: keep reading
      }
      resolve({
        child,
        pid: child.pid!,
        stop(signal = 'SIGTERM') {
          if (child.exitCode === null && child.signalCode === null) child.kill(signal);
          return exited;
        },
      });
    });
    void exited.then(() => reject(new Error(`dispatch exited before it was ready:\n${stderr}`)));
  });
}
