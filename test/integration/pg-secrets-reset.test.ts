/**
 * A team server whose shared key was lost: an instance started with another key refuses to
 * start (naming what it cannot open and the ways out) instead of refusing every delivery;
 * `hookbench secrets reset --database` with the new key gives what no longer opens new secrets,
 * shown once, and an instance on the new key then verifies deliveries signed with them.
 */
import { createHmac, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretKeyError } from '../../src/main/engine/secrets/errors';
import { createTeamEngine } from '../../src/main/engine/team/team-engine';
import type { ActivityEntry, DeliverySummary, EndpointSecret, InboxCreated, PackageCreated, SecretsReset } from '../../src/shared/types';
import { sharedKeyBox } from '../helpers/engine-sites';
import { post } from '../helpers/engine';
import { githubHeaders, githubPing } from '../helpers/payloads';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { startTeamInstance } from '../helpers/team-instance';
import { runCli } from '../helpers/serve-process';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres({ fsync: false });
}, 60_000);
afterAll(() => cluster?.stop());

const instance = (url: string, key: Buffer) => startTeamInstance(url, sharedKeyBox(key));

const hookIdOf = (pkg: PackageCreated) => pkg.hookUrl.split('/hooks/')[1]!;

async function ping(receiverUrl: string, hookId: string, secret: string) {
  const body = JSON.stringify(githubPing(31));
  return (await post(`${receiverUrl}/hooks/${hookId}`, body, await githubHeaders('ping', body, secret))).status;
}

function stripeSigned(secret: string, body: string): Record<string, string> {
  const t = Math.floor(Date.now() / 1000);
  return { 'content-type': 'application/json', 'stripe-signature': `t=${t},v1=${createHmac('sha256', secret).update(`${t}.${body}`).digest('hex')}` };
}

describe('secrets reset on a team server', () => {
  it('an instance with another key refuses to start; reset --database gives new secrets that then verify', { timeout: 120_000 }, async () => {
    const url = cluster.createDatabase('reset_lost_key');
    const [LOST, NEW] = [randomBytes(32), randomBytes(32)];
    const before = await instance(url, LOST);
    const pkg = (await before.engine.invoke('packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '31' })) as PackageCreated;
    const endpoint = (await before.engine.invoke('endpoints.add', { name: 'svc', url: 'http://127.0.0.1:9/x', dialect: 'standard-webhooks', events: ['release.published'] })) as EndpointSecret;
    const inbox = (await before.engine.invoke('inboxes.add', { name: 'payments', dialect: 'stripe' })) as InboxCreated;
    await before.close();

    // Through the real command, as an operator starts it: exit 1, the reason and both ways out.
    const env = { HOOKBENCH_SECRET_KEY: NEW.toString('base64'), HOOKBENCH_TOKEN: '', HOOKBENCH_SERVER: '' };
    const refused = await runCli(['serve', '--database', url, '--port', '0', '--receiver-port', '0'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('The secrets of 1 package hook, 1 endpoint and 1 inbox in the team database');
    expect(refused.stderr).toContain('HOOKBENCH_SECRET_KEY does not hold the key that sealed them');
    expect(refused.stderr).toContain('hookbench secrets reset --database URL');
    await expect(createTeamEngine({ url, box: sharedKeyBox(NEW) })).rejects.toBeInstanceOf(SecretKeyError);

    const reset = await runCli(['secrets', 'reset', '--database', url, '--json'], env);
    expect(reset.code, reset.stderr).toBe(0);
    const result = JSON.parse(reset.stdout) as SecretsReset;
    expect(result.keyFile).toBe('HOOKBENCH_SECRET_KEY');
    expect(result.hooks).toMatchObject([{ packageId: pkg.id, hookUrl: `/hooks/${hookIdOf(pkg)}`, managedUpstream: false }]);
    expect(result.hooks[0]!.secret).not.toBe(pkg.secret);
    expect(result.endpoints).toMatchObject([{ id: endpoint.id, name: 'svc' }]);
    expect(result.endpoints[0]!.secret).toMatch(/^whsec_/);
    expect(result.inboxes).toMatchObject([{ id: inbox.id, name: 'payments', url: `/in/${inbox.id}` }]);
    expect(result.inboxes[0]!.secret).not.toBe(inbox.secret);
    // Shown once: a second reset finds everything opening.
    const again = await runCli(['secrets', 'reset', '--database', url], env);
    expect(again.stdout).toContain('Every secret opens with HOOKBENCH_SECRET_KEY; nothing was reset.');
    // Without the key there is nothing to judge with: refused, naming what to set.
    const keyless = await runCli(['secrets', 'reset', '--database', url], { ...env, HOOKBENCH_SECRET_KEY: '' });
    expect(keyless.code).toBe(2);
    expect(keyless.stderr).toContain('set HOOKBENCH_SECRET_KEY');

    const after = await instance(url, NEW);
    expect(await ping(after.receiverUrl, hookIdOf(pkg), result.hooks[0]!.secret)).toBe(200);
    expect(await ping(after.receiverUrl, hookIdOf(pkg), pkg.secret)).toBe(403);
    const body = '{"id":"evt_1","type":"charge.succeeded"}';
    expect((await post(`${after.receiverUrl}/in/${inbox.id}`, body, stripeSigned(result.inboxes[0]!.secret!, body))).status).toBe(200);
    const captures = (await after.engine.invoke('inboxes.captures', { id: inbox.id, limit: 10 })) as DeliverySummary[];
    expect(captures.map((c) => c.verdict)).toEqual(['valid']);
    const activity = (await after.engine.invoke('activity.list', { limit: 50 })) as ActivityEntry[];
    const resets = activity.filter((a) => a.kind === 'secrets_reset').map((a) => a.message);
    expect(resets).toContainEqual(expect.stringContaining('Secrets reset: HOOKBENCH_SECRET_KEY did not open 3 sealed secret(s)'));
    expect(resets).toContainEqual(expect.stringContaining('Hook secret of octo/widgets reset'));
  });

  it('through a running instance, reset answers that every secret opens, and changes nothing', async () => {
    const url = cluster.createDatabase('reset_running');
    const key = randomBytes(32);
    const site = await instance(url, key);
    const pkg = (await site.engine.invoke('packages.add', { provider: 'github', repo: 'octo/kept', repoId: '31' })) as PackageCreated;
    const reset = (await site.engine.invoke('secrets.reset', {})) as SecretsReset;
    expect(reset).toEqual({ keyFile: 'HOOKBENCH_SECRET_KEY', hooks: [], endpoints: [], inboxes: [], previousDropped: 0, removedConnections: [] });
    expect(await ping(site.receiverUrl, hookIdOf(pkg), pkg.secret)).toBe(200);
  });
});
