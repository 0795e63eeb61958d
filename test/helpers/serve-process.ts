import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

export const HOOKBENCH_BIN = fileURLToPath(new URL('../../bin/hookbench.js', import.meta.url));

export interface ServeHandle {
  child: ChildProcess;
  dataDir: string;
  ui: string;
  receiver: string;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Starts `hookbench serve` on free ports and resolves once it printed where it listens. */
export function startServe(dataDir: string, extra: string[] = []): Promise<ServeHandle> {
  return startServeWith(['--data-dir', dataDir, ...extra], {}, dataDir);
}

/** `hookbench serve` with these arguments (and environment added to this process's). */
export function startServeWith(args: string[], env: Record<string, string>, dataDir = ''): Promise<ServeHandle> {
  const child = spawn(process.execPath, [HOOKBENCH_BIN, 'serve', '--port', '0', '--receiver-port', '0', '--json', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, ...env },
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout! });
    let buffer = '';
    lines.on('line', (line) => {
      buffer += line;
      try {
        const info = JSON.parse(buffer) as { ui: string; receiver: string };
        lines.close();
        resolve({
          child,
          dataDir,
          ui: info.ui,
          receiver: info.receiver,
          stop(signal = 'SIGTERM') {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            return exited;
          },
        });
      } catch {
        // The JSON is pretty-printed over several lines; keep reading.
      }
    });
    void exited.then((code) => reject(new Error(`serve exited with ${code} before it was ready:\n${stderr}`)));
  });
}

export function runCli(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HOOKBENCH_BIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.once('exit', (code) => resolve({ code, stdout, stderr }));
  });
}
