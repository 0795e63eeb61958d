/**
 * A team server's shared key rotated with `hookbench secrets rotate-key --database` while an
 * instance keeps running on NEW,OLD: afterwards every sealed value in the database opens with
 * NEW alone, and an instance given only NEW verifies, reveals and signs as before.
 */
import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it, onTestFinished, vi } from 'vitest';
import { keyRingBox } from '../../src/main/engine/secrets/key-file-box';
import { holdsSealed } from '../../src/main/engine/secrets/rotate-statements';
import { sealedColumns } from '../../src/main/engine/secrets/sealed-columns';
import { SEALED_PREFIX } from '../../src/shared/secret-headers';
import type { ActivityEntry, DeliverySummary, EndpointSecret, InboxCreated, PackageCreated } from '../../src/shared/types';
import { post } from '../helpers/engine';
import { cliInProcess } from '../helpers/in-process-cli';
import { githubHeaders, githubTagPush, gitlabHeaders, gitlabTagPush } from '../helpers/payloads';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { startTeamInstance } from '../helpers/team-instance';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
}, 60_000);
afterAll(() => cluster?.stop());

const b64 = (key: Buffer) => key.toString('base64');

const instance = (url: string, keys: Buffer[]) =>
  startTeamInstance(
    url,
    keyRingBox(
      'shared-key',
      () => keys,
      () => keys[0]!,
      'HOOKBENCH_SECRET_KEY',
    ),
  );

/** Every sealed value the database holds (whole values, and the sealed ones inside header lists). */
async function sealedValues(url: string): Promise<string[]> {
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  try {
    const values: string[] = [];
    for (const column of sealedColumns()) {
      const rows = await pool.query<{ v: string }>(`SELECT "${column.column}" AS v FROM "${column.table}" WHERE ${holdsSealed(column)}`);
      for (const { v } of rows.rows) {
        if (column.shape === 'value') values.push(v);
        else for (const [, value] of JSON.parse(v) as [string, string][]) if (value.startsWith(SEALED_PREFIX)) values.push(value.slice(SEALED_PREFIX.length));
      }
    }
    return values;
  } finally {
    await pool.end();
  }
}

describe('secrets rotate-key --database', () => {
  it('re-seals every secret in the database with the new key while an instance runs; the old key can then go', { timeout: 120_000 }, async () => {
    const url = cluster.createDatabase('rotate_key');
    const [OLD, NEW] = [randomBytes(32), randomBytes(32)];
    const before = await instance(url, [OLD]);
    const github = (await before.engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '7' })) as PackageCreated;
    const gitlab = (await before.engine.invoke('packages.add', { provider: 'gitlab', repo: 'jsmith/example', repoId: '15' })) as PackageCreated;
    const endpoint = (await before.engine.invoke('endpoints.add', { name: 'sink', url: 'http://127.0.0.1:1/', dialect: 'standard-webhooks', events: ['release.published'] })) as EndpointSecret;
    const inbox = (await before.engine.invoke('inboxes.add', { name: 'in', dialect: 'github' })) as InboxCreated;
    // A stored delivery whose credential header (GitLab's token) is sealed in its header list.
    const stored = await post(`${before.receiverUrl}/hooks/${gitlab.hookUrl.split('/hooks/')[1]}`, JSON.stringify(gitlabTagPush(15, 'v1.0.0')), gitlabHeaders('Tag Push Hook', gitlab.secret));
    expect(stored.status).toBe(202);
    const sealedBefore = await sealedValues(url);
    expect(sealedBefore.length).toBeGreaterThanOrEqual(5);

    // One key only: refused, naming what to set, and nothing is touched.
    vi.stubEnv('HOOKBENCH_SECRET_KEY', b64(NEW));
    onTestFinished(() => void vi.unstubAllEnvs());
    const refused = await cliInProcess(['secrets', 'rotate-key', '--database', url]);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toContain('HOOKBENCH_SECRET_KEY=NEW,OLD');
    expect(await sealedValues(url)).toEqual(sealedBefore);

    // The instances restarted with NEW,OLD keep running while the rotation goes through the database.
    await before.close();
    const during = await instance(url, [NEW, OLD]);
    vi.stubEnv('HOOKBENCH_SECRET_KEY', `${b64(NEW)},${b64(OLD)}`);
    const rotated = await cliInProcess(['secrets', 'rotate-key', '--database', url, '--json']);
    expect(rotated.code, rotated.stderr).toBe(0);
    expect(JSON.parse(rotated.stdout)).toMatchObject({ key: 'HOOKBENCH_SECRET_KEY', resealed: sealedBefore.length, previousKey: null });
    const activity = (await during.engine.invoke('activity.list', {})) as ActivityEntry[];
    expect(activity.find((a) => a.kind === 'secrets_reset')?.message).toContain(`${sealedBefore.length} sealed value(s) re-sealed`);
    await during.close();

    // OLD dropped: every sealed value opens with NEW alone, and the secrets work as before.
    const onlyNew = keyRingBox(
      'shared-key',
      () => [NEW],
      () => NEW,
      'HOOKBENCH_SECRET_KEY',
    );
    const after = await sealedValues(url);
    expect(after).toHaveLength(sealedBefore.length);
    for (const value of after) expect(() => onlyNew.open(value)).not.toThrow();
    const { engine, receiverUrl } = await instance(url, [NEW]);
    const body = JSON.stringify(githubTagPush(7, 'v2.0.0'));
    expect((await post(`${receiverUrl}/hooks/${github.hookUrl.split('/hooks/')[1]}`, body, await githubHeaders('push', body, github.secret))).status).toBe(202);
    const inboxBody = '{"zen":"ok"}';
    await post(inbox.url.replace(/^https?:\/\/[^/]+/, receiverUrl), inboxBody, await githubHeaders('ping', inboxBody, inbox.secret!));
    expect(((await engine.invoke('inboxes.captures', { id: inbox.id })) as DeliverySummary[]).map((c) => c.verdict)).toEqual(['valid']);
    expect(await engine.invoke('captured.reveal', { ref: String(stored.json.delivery), header: 'x-gitlab-token' })).toMatchObject({ values: [gitlab.secret] });
    expect(((await engine.invoke('endpoints.rotateSecret', { id: endpoint.id })) as EndpointSecret).secret).toMatch(/^whsec_/);
  });
});
