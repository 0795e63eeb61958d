import { createHmac, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test as base } from '@playwright/test';
import { startServe, type ServeHandle } from '../helpers/serve-process';

export const SCREENSHOTS = 'docs/screenshots';

/** A fresh `hookbench serve` per test, on its own data dir. */
export const test = base.extend<{ serve: ServeHandle }>({
  serve: async ({}, use) => {
    const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
    const handle = await startServe(dataDir);
    await use(handle);
    await handle.stop();
    rmSync(dataDir, { recursive: true, force: true });
  },
});

export { expect } from '@playwright/test';

export function tagPush(repoId: number, tag: string): string {
  return JSON.stringify({
    ref: `refs/tags/${tag}`,
    before: '0000000000000000000000000000000000000000',
    after: '6113728f27ae82c7b1a177c8d03f9e96e0adf246',
    created: true,
    deleted: false,
    forced: false,
    base_ref: null,
    repository: { id: repoId, full_name: 'octo/widgets', name: 'widgets' },
    head_commit: { id: '6113728f27ae82c7b1a177c8d03f9e96e0adf246', message: 'Release' },
  });
}

export async function sendGitHub(url: string, event: string, body: string, secret: string) {
  const signature = 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');
  return fetch(url, {
    method: 'POST',
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': event,
      'x-github-delivery': randomUUID(),
      'x-hub-signature-256': signature,
    },
  });
}
