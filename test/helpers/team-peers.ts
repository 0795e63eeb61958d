import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { onTestFinished } from 'vitest';
import type { PushEvent } from '../../src/shared/contract';

const PEER_SCRIPT = join(import.meta.dirname, 'team-peer.mjs');

/** What a peer says on stdout, one JSON object a line. */
export interface PeerLine {
  held?: boolean;
  released?: boolean;
  listening?: number;
  event?: PushEvent;
  warning?: string;
}

export interface Peer {
  name: string;
  pid: number;
  lines: PeerLine[];
  /** Resolves with the first line (said so far or later) that matches. */
  waitFor(match: (line: PeerLine) => boolean, timeoutMs?: number): Promise<PeerLine>;
  count(match: (line: PeerLine) => boolean): number;
  send(command: { publish?: PushEvent; burst?: { task: string; count: number }; release?: true }): void;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** A team-peer.mjs process on the database; killed when the test ends. */
export function startPeer(url: string, name: string): Peer {
  const child = spawn(process.execPath, [PEER_SCRIPT, url, name], { stdio: ['pipe', 'pipe', 'pipe'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  onTestFinished(async () => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  });
  const lines: PeerLine[] = [];
  const waiters = new Set<() => void>();
  let stderr = '';
  let rest = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  child.stdout.on('data', (chunk: Buffer) => {
    rest += chunk.toString();
    const complete = rest.split('\n');
    rest = complete.pop() ?? '';
    for (const text of complete) if (text) lines.push(JSON.parse(text) as PeerLine);
    for (const wake of [...waiters]) wake();
  });
  return {
    name,
    pid: child.pid!,
    lines,
    count: (match) => lines.filter(match).length,
    waitFor(match, timeoutMs = 10_000) {
      return new Promise((resolve, reject) => {
        const check = () => {
          const found = lines.find(match);
          if (!found) return;
          waiters.delete(check);
          clearTimeout(timer);
          resolve(found);
        };
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`peer ${name} said nothing that matches within ${timeoutMs} ms; it said ${JSON.stringify(lines)}; stderr: ${stderr}`));
        }, timeoutMs);
        waiters.add(check);
        check();
      });
    },
    send(command) {
      child.stdin.write(`${JSON.stringify(command)}\n`);
    },
    async kill(signal) {
      child.kill(signal);
      await exited;
    },
  };
}
