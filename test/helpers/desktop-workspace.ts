import { createHmac } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import type { EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { githubHeaders, githubTagPush } from './payloads';
import { HOOKBENCH_BIN, runCli, startServe } from './serve-process';
import { waitUntil } from './wait-until';

export interface DesktopWorkspace {
  dir: string;
  pkg: PackageCreated;
  inbox: InboxCreated;
  /** The inbox's secret, given when it was added. */
  inboxSecret: string;
  endpointSecret: string;
  /** What the failing endpoint received: signed with the endpoint's secret. */
  sentToEndpoint: { headers: [string, string][]; body: Buffer };
  /** The binary body captured by the inbox. */
  binaryBody: Buffer;
  /** Removes the data dir. */
  dispose(): void;
}

const json = <T>(text: string) => JSON.parse(text) as T;

async function cli(dir: string, ...args: string[]) {
  const run = await runCli([...args, '--data-dir', dir, '--json']);
  expect(run.code, run.stderr).toBe(0);
  return run.stdout;
}

interface Received {
  headers: [string, string][];
  body: Buffer;
}

/** A local HTTP target: answers each request with `status`, or never answers (null) so a send to it stays claimed while its sender lives. */
async function target(status: number | null): Promise<{ url: string; first: Promise<Received>; close(): void }> {
  let arrived!: (request: Received) => void;
  const first = new Promise<Received>((resolve) => (arrived = resolve));
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers: [string, string][] = [];
      for (let i = 0; i < req.rawHeaders.length; i += 2) headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
      arrived({ headers, body: Buffer.concat(chunks) });
      if (status !== null) res.writeHead(status).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    first,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}

/**
 * A desktop data dir made the way a person makes one, with the real CLI and serve: a GitHub
 * package with signed tag pushes ingested into a release, an inbox capturing a signed binary
 * body, a fixture, an endpoint with a failed send waiting for its retry, a send claimed by a
 * process killed mid-send, an API token, a forward target and retention policies.
 */
export async function buildDesktopWorkspace(): Promise<DesktopWorkspace> {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-desktop-'));
  const serve = await startServe(dir);
  let made: Pick<DesktopWorkspace, 'pkg' | 'inbox' | 'inboxSecret' | 'binaryBody'>;
  try {
    made = await receive(dir, serve.receiver);
  } finally {
    await serve.stop();
  }
  await cli(dir, 'fixture', 'save', '1', '--name', 'first tag');
  await cli(dir, 'token', 'create', '--name', 'ada', '--role', 'admin');
  await cli(dir, 'inbox', 'forward', made.inbox.id, '--to', 'http://127.0.0.1:9/local-app', '--path-rewrite', '/bin=>/hooks');
  await cli(dir, 'retention', 'set', '--days', '90');
  await cli(dir, 'retention', 'set', '--inbox', made.inbox.id, '--forever');

  const failing = await target(503);
  const silent = await target(null);
  try {
    return await outbound(dir, failing, silent, made);
  } finally {
    failing.close();
    silent.close();
  }
}

async function receive(dir: string, receiver: string): Promise<Pick<DesktopWorkspace, 'pkg' | 'inbox' | 'inboxSecret' | 'binaryBody'>> {
  const pkg = json<PackageCreated>(await cli(dir, 'package', 'add', '--provider', 'github', '--repo', 'octo/widgets', '--repo-id', '42'));
  const hook = `${receiver}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`;
  for (const tag of ['v1.0.0', 'v1.1.0-rc.1']) {
    const body = JSON.stringify(githubTagPush(42, tag));
    const res = await fetch(hook, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) });
    expect(res.status).toBeLessThan(300);
  }
  await waitUntil(
    async () => json<{ items: unknown[] }>(await cli(dir, 'release', 'list', '--package', pkg.id)).items.length,
    (n) => n === 2,
  );

  const inboxSecret = 'inbox-secret-for-moving';
  const inbox = json<InboxCreated>(await cli(dir, 'inbox', 'add', '--name', 'bytes', '--dialect', 'github', '--secret', inboxSecret));
  const binaryBody = Buffer.from([0, 1, 2, 0xff, 0xfe, 0x80, 0x0a, 0x0d, 0xc3, 0x28, 0, 0x7f]);
  const signature = `sha256=${createHmac('sha256', inboxSecret).update(binaryBody).digest('hex')}`;
  const captured = await fetch(`${receiver}/in/${inbox.id}/bin?x=1`, {
    method: 'POST',
    body: binaryBody,
    headers: { 'content-type': 'application/octet-stream', 'x-github-event': 'blob', 'x-github-delivery': 'bin-1', 'x-hub-signature-256': signature, authorization: 'Bearer caller-credential' },
  });
  expect(captured.status).toBeLessThan(300);
  return { pkg, inbox, inboxSecret, binaryBody };
}

async function outbound(
  dir: string,
  failing: Awaited<ReturnType<typeof target>>,
  silent: Awaited<ReturnType<typeof target>>,
  made: Pick<DesktopWorkspace, 'pkg' | 'inbox' | 'inboxSecret' | 'binaryBody'>,
): Promise<DesktopWorkspace> {
  const endpointSecret = 'whsec_' + Buffer.alloc(24, 7).toString('base64');
  const endpoint = json<EndpointSecret>(
    await cli(dir, 'endpoint', 'add', '--name', 'later', '--url', failing.url, '--dialect', 'standard-webhooks', '--events', 'release.published', '--secret', endpointSecret, '--retry', '3600'),
  );
  const triggered = await runCli(['trigger', '--endpoint', endpoint.id, '--event', 'release.published', '--data-dir', dir]);
  expect(triggered.stderr).not.toContain('Error');
  const sent = await failing.first;

  // A send claimed by a process killed while the target kept it waiting.
  const stuck = json<EndpointSecret>(await cli(dir, 'endpoint', 'add', '--name', 'stuck', '--url', silent.url, '--dialect', 'privato', '--events', 'release.published'));
  const sender = spawn(process.execPath, [HOOKBENCH_BIN, 'trigger', '--endpoint', stuck.id, '--event', 'release.published', '--data-dir', dir], { stdio: 'ignore' });
  const exited = new Promise((resolve) => sender.once('exit', resolve));
  await silent.first;
  sender.kill('SIGKILL');
  await exited;

  return { dir, ...made, endpointSecret, sentToEndpoint: sent, dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
