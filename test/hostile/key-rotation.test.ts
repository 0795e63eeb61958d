import { spawn } from 'node:child_process';
import { readFileSync, existsSync } from 'node:fs';
import { join } from 'node:path';
import { randomBytes } from 'node:crypto';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { openWith } from '../../src/main/engine/secrets/key-file-box';
import { sealedColumns } from '../../src/main/engine/secrets/sealed-columns';
import { SEALED_PREFIX } from '../../src/shared/secret-headers';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { addPackage, post } from '../helpers/engine';
import { gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { tempDataDir } from '../helpers/data-dir';
import { HOOKBENCH_BIN } from '../helpers/serve-process';

const COPIES = 20_000;

/** A GitLab package (its token header is sealed in every delivery) and many stored deliveries. */
async function dataDirWithSecrets(env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const dataDir = tempDataDir();
  const saved = process.env.HOOKBENCH_SECRET_KEY;
  if (env.HOOKBENCH_SECRET_KEY) process.env.HOOKBENCH_SECRET_KEY = env.HOOKBENCH_SECRET_KEY;
  try {
    const engine = createEngine({ dataDir });
    const receiverUrl = await engine.startReceiver({ port: 0 });
    const pkg = await addPackage(engine, 'gitlab', 15, 'jsmith/example');
    await engine.invoke('endpoints.add', { name: 'out', url: 'http://127.0.0.1:9/x', dialect: 'standard-webhooks', events: ['release.published'] });
    await post(`${receiverUrl}/hooks/${pkg.hookUrl.split('/hooks/')[1]}`, JSON.stringify(gitlabTagPush(15, 'v1.0.0')), gitlabHeaders('Tag Push Hook', pkg.secret));
    await engine.close();
  } finally {
    if (saved === undefined) delete process.env.HOOKBENCH_SECRET_KEY;
    else process.env.HOOKBENCH_SECRET_KEY = saved;
  }
  const db = new Database(join(dataDir, DATABASE_FILE));
  const columns = (db.prepare('PRAGMA table_info(deliveries)').all() as { name: string }[]).map((c) => c.name).filter((c) => c !== 'id');
  const select = columns.map((c) => (c === 'provider_delivery_id' ? "provider_delivery_id || '-' || n" : `"${c}"`)).join(', ');
  db.prepare(
    `WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${COPIES}) ` +
      `INSERT INTO deliveries (${columns.map((c) => `"${c}"`).join(', ')}) SELECT ${select} FROM deliveries, seq WHERE deliveries.id = 1`,
  ).run();
  db.close();
  return dataDir;
}

/** Every sealed value in the database, as stored. */
function sealedValues(dataDir: string): string[] {
  const db = new Database(join(dataDir, DATABASE_FILE), { readonly: true });
  try {
    const out: string[] = [];
    for (const { table, column, shape } of sealedColumns()) {
      for (const value of db.prepare(`SELECT "${column}" FROM "${table}" WHERE "${column}" IS NOT NULL`).pluck().all() as string[]) {
        if (shape === 'value') out.push(value);
        else for (const [, v] of JSON.parse(value) as [string, string][]) if (v.startsWith(SEALED_PREFIX)) out.push(v.slice(SEALED_PREFIX.length));
      }
    }
    return out;
  } finally {
    db.close();
  }
}

const opensWith = (key: Buffer) => (sealed: string) => openWith(key, sealed) !== null;

function rotate(dataDir: string, env: Record<string, string> = {}, onLine?: (line: string, kill: () => void) => void) {
  const child = spawn(process.execPath, [HOOKBENCH_BIN, 'secrets', 'rotate-key', '--data-dir', dataDir], { stdio: ['ignore', 'pipe', 'pipe'], env: { ...process.env, ...env } });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
  child.stderr.on('data', (c: Buffer) => {
    stderr += c.toString();
    onLine?.(c.toString(), () => child.kill('SIGKILL'));
  });
  return new Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }>((resolve) => child.once('exit', (code, signal) => resolve({ code, signal, stdout, stderr })));
}

describe('secrets rotate-key', () => {
  it('killed midway leaves every secret openable; run again, it finishes and the old key opens nothing', async () => {
    const dataDir = await dataDirWithSecrets();
    const keyPath = join(dataDir, 'secret.key');
    const oldKey = readFileSync(keyPath);
    expect(sealedValues(dataDir).length).toBeGreaterThan(COPIES);

    let seen = 0;
    const killed = await rotate(dataDir, {}, (line, kill) => {
      if (/re-sealed \d+ of \d+/.test(line) && ++seen >= 3) kill();
    });
    expect(killed.signal).toBe('SIGKILL');
    const newKey = readFileSync(`${keyPath}.next`);
    expect(readFileSync(keyPath).equals(oldKey)).toBe(true);
    const midway = sealedValues(dataDir);
    // Truly midway: some values carry the new key, some still the old one.
    expect(midway.some(opensWith(newKey))).toBe(true);
    expect(midway.some(opensWith(oldKey))).toBe(true);

    // Every secret opens for a Hookbench started now (serve refuses to start otherwise).
    const engine = createEngine({ dataDir, requireSecrets: true });
    try {
      for (const sealed of new Set(midway)) expect(() => engine.box.open(sealed)).not.toThrow();
    } finally {
      await engine.close();
    }

    const finished = await rotate(dataDir);
    expect(finished.code, finished.stderr).toBe(0);
    expect(finished.stdout).toContain('Every secret is now sealed with the new key');
    expect(readFileSync(keyPath).equals(newKey)).toBe(true);
    expect(readFileSync(`${keyPath}.previous`).equals(oldKey)).toBe(true);
    expect(existsSync(`${keyPath}.next`)).toBe(false);
    const after = sealedValues(dataDir);
    expect(after.length).toBe(midway.length);
    expect(after.every(opensWith(newKey))).toBe(true);
    expect(after.some(opensWith(oldKey))).toBe(false);
  }, 180_000);

  it('a shared key in HOOKBENCH_SECRET_KEY: NEW,OLD re-seals with NEW, after which NEW alone opens everything', async () => {
    const oldKey = randomBytes(32);
    const newKey = randomBytes(32);
    const dataDir = await dataDirWithSecrets({ HOOKBENCH_SECRET_KEY: oldKey.toString('base64') });
    expect(existsSync(join(dataDir, 'secret.key'))).toBe(false);
    expect(sealedValues(dataDir).every(opensWith(oldKey))).toBe(true);

    const alone = await rotate(dataDir, { HOOKBENCH_SECRET_KEY: newKey.toString('base64') });
    expect(alone.code).not.toBe(0);
    expect(alone.stderr).toContain('HOOKBENCH_SECRET_KEY does not hold the key that sealed them');

    const done = await rotate(dataDir, { HOOKBENCH_SECRET_KEY: `${newKey.toString('base64')},${oldKey.toString('base64')}` });
    expect(done.code, done.stderr).toBe(0);
    expect(sealedValues(dataDir).every(opensWith(newKey))).toBe(true);
    expect(sealedValues(dataDir).some(opensWith(oldKey))).toBe(false);
  }, 180_000);
});
