import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { githubHeaders, githubTagPush } from '../helpers/payloads';
import { servePackage } from '../helpers/served-package';
import { waitUntil } from '../helpers/wait-until';

describe('answers to requests that go wrong', () => {
  it('answers a static path that is not valid percent-encoding with 400, and the UI keeps serving', async () => {
    const { serve } = await servePackage();
    const origin = new URL(serve.ui).origin;
    const bad = await fetch(`${origin}/assets/%E0%A4%A`);
    expect(bad.status).toBe(400);
    expect(await bad.text()).toMatch(/not valid percent-encoding/);
    expect((await fetch(`${origin}/`)).status).toBe(200);
  });

  it("answers a receiver failure with a generic 500 naming an error id that is in serve's log, never the error's text", async () => {
    const { dir, serve, pkg, hookUrl } = await servePackage();
    let log = '';
    serve.child.stderr!.on('data', (chunk: Buffer) => (log += chunk.toString()));
    // The hook's sealed secret no longer opens (as after a lost key): the receiver cannot verify.
    const db = new Database(join(dir, DATABASE_FILE));
    db.prepare('UPDATE hooks SET secret_sealed = ?').run('aesgcm1:' + randomBytes(48).toString('base64'));
    db.close();

    const body = JSON.stringify(githubTagPush(42, 'v1.0.0'));
    const res = await fetch(hookUrl, { method: 'POST', body, headers: await githubHeaders('push', body, pkg.secret) });
    expect(res.status).toBe(500);
    const answer = (await res.json()) as { error: string; errorId: string; reason: string };
    expect(answer.error).toBe('internal');
    expect(answer.errorId).toMatch(/^err_[0-9a-f]{12}$/);
    const text = JSON.stringify(answer);
    expect(text).not.toMatch(/authenticate|decipher|Error:|at \w+ \(|\/src\/|\.js:\d/);
    await waitUntil(async () => log, (l) => l.includes(answer.errorId));
    expect(log).toMatch(new RegExp(`${answer.errorId}.*does not open this secret`));
  });
});
