// Child-process plumbing: start a server and wait for its first JSON output, stop it, run a job to completion.
import { spawn } from 'node:child_process';

/** Children still running and cleanups still owed, in case the runner dies half-way. */
const live = new Set();
const cleanups = new Set();
process.once('exit', () => {
  for (const child of live) child.kill('SIGKILL');
  for (const fn of cleanups) fn();
});

/** Runs fn at process exit unless the returned function runs it first. */
export function onExit(fn) {
  cleanups.add(fn);
  return () => {
    if (cleanups.delete(fn)) fn();
  };
}

/** Tries to read the first complete JSON value printed (Hookbench pretty-prints; the bare server prints one line). */
function firstJson(text) {
  const start = text.indexOf('{');
  if (start < 0) return undefined;
  for (let end = text.indexOf('}', start); end >= 0; end = text.indexOf('}', end + 1)) {
    try {
      return JSON.parse(text.slice(start, end + 1));
    } catch {
      // not complete yet
    }
  }
  return undefined;
}

/** Spawns `node args…` and resolves with the child and the first JSON it prints. */
export function startServer(args, { timeoutMs = 15_000 } = {}) {
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  live.add(child);
  child.once('exit', () => live.delete(child));
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
  const ready = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${args.join(' ')}: no JSON within ${timeoutMs} ms\n${err}`)), timeoutMs);
    child.stdout.on('data', (c) => {
      out += c;
      const info = firstJson(out);
      if (info !== undefined) {
        clearTimeout(timer);
        resolve(info);
      }
    });
    exited.then(({ code, signal }) => {
      clearTimeout(timer);
      reject(new Error(`${args.join(' ')} exited (${code ?? signal}) before printing JSON\n${err}`));
    });
  });
  return ready.then((info) => ({
    info,
    child,
    /** Everything printed after the first JSON value. */
    output: () => out,
    stderr: () => err,
    /** SIGTERM, then wait for the exit; resolves with its exit status. */
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      return exited;
    },
  }));
}

/** Runs `node args…` to completion; resolves with its stdout, rejects on a non-zero exit. */
export function run(args) {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    child.once('exit', () => live.delete(child));
    let out = '';
    let err = '';
    child.stdout.on('data', (c) => (out += c));
    child.stderr.on('data', (c) => (err += c));
    child.once('error', reject);
    child.once('exit', (code) => (code === 0 ? resolve(out) : reject(new Error(`${args.join(' ')} exited ${code}\n${err}`))));
  });
}
