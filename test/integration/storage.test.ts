import { statSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { BACKSTOP_PAGES } from '../../src/main/engine/db/checkpointer';
import { DATABASE_FILE } from '../../src/main/engine/db/open';
import { bundledMigrations } from '../../src/main/engine/db/migrate';
import { createKeyFileBox, KEY_FILE } from '../../src/main/engine/secrets/key-file-box';
import type { PackageCreated } from '../../src/shared/types';
import { tempDataDir } from '../helpers/data-dir';
import { addPackage, startEngine } from '../helpers/engine';
import { waitUntil } from '../helpers/wait-until';

describe('database', () => {
  it('runs in WAL mode with full fsync and every bundled migration applied', async () => {
    const dir = tempDataDir();
    const engine = createEngine({ dataDir: dir });
    const sqlite = engine.db.$client;
    expect(sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(sqlite.pragma('synchronous', { simple: true })).toBe(2);
    const applied = sqlite.prepare('SELECT idx FROM schema_migrations ORDER BY idx').all() as { idx: number }[];
    expect(applied.map((r) => r.idx)).toEqual(bundledMigrations.map((m) => m.index));
    await engine.close();
  });

  it('refuses a database written by a newer version, and leaves it untouched', async () => {
    const dir = tempDataDir();
    await createEngine({ dataDir: dir }).close();
    const raw = new Database(join(dir, DATABASE_FILE));
    raw.prepare("INSERT INTO schema_migrations (idx, tag, hash, applied_at) VALUES (999, '0999_future', 'x', 0)").run();
    raw.close();
    expect(() => createEngine({ dataDir: dir })).toThrow(/written by a newer Hookbench \(schema 999/);
    const again = new Database(join(dir, DATABASE_FILE));
    expect((again.prepare('SELECT count(*) n FROM schema_migrations').get() as { n: number }).n).toBe(bundledMigrations.length + 1);
    again.close();
  });
});

describe('write-ahead log', () => {
  it('is folded back into the database file while serving, by a thread beside the receiver', async () => {
    // Refused requests keep their whole body here (up to 1 MiB), so they make the log grow.
    const { engine, receiverUrl } = await startEngine({ receiverLimits: { rejectedBodyLimit: 1024 * 1024 } });
    const pkg = await addPackage(engine, 'github', 7);
    // The serving connection leaves checkpoints to the worker, keeping only a distant backstop.
    expect(engine.db.$client.pragma('wal_autocheckpoint', { simple: true })).toBe(BACKSTOP_PAGES);
    const file = join(engine.dataDir, DATABASE_FILE);
    const before = statSync(file).size;
    // Unsigned, so refused, but still recorded with their bytes: 6 MiB through the receiver.
    const body = 'x'.repeat(512 * 1024);
    for (let i = 0; i < 12; i++) {
      const res = await fetch(new URL(new URL(pkg.hookUrl).pathname, receiverUrl), { method: 'POST', body, headers: { 'content-type': 'application/json' } });
      expect(res.status).toBe(403);
    }
    const size = await waitUntil(async () => statSync(file).size, (n) => n >= before + 6 * 1024 * 1024);
    expect(size).toBeGreaterThanOrEqual(before + 6 * 1024 * 1024);
  });
});

describe('secrets at rest', () => {
  it('keeps the key file owner-only and never stores a secret in clear', async () => {
    const dir = tempDataDir();
    const engine = createEngine({ dataDir: dir });
    const created = (await engine.invoke('packages.add', { provider: 'github', repo: 'a/b', repoId: '1' })) as PackageCreated;
    await engine.close();
    expect(statSync(join(dir, KEY_FILE)).mode & 0o777).toBe(0o600);
    const raw = new Database(join(dir, DATABASE_FILE), { readonly: true });
    const dump = JSON.stringify(raw.prepare('SELECT * FROM hooks').all());
    raw.close();
    expect(dump).not.toContain(created.secret);
    expect(dump).toContain('aesgcm1:');
  });

  it('detects tampering with a sealed secret', () => {
    const box = createKeyFileBox(tempDataDir());
    const sealed = box.seal('hello');
    expect(box.open(sealed)).toBe('hello');
    const bytes = Buffer.from(sealed.slice('aesgcm1:'.length), 'base64');
    bytes[bytes.length - 1]! ^= 1;
    expect(() => box.open('aesgcm1:' + bytes.toString('base64'))).toThrow();
  });
});
