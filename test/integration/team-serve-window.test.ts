import { randomBytes } from 'node:crypto';
import { chromium, expect } from '@playwright/test';
import { afterAll, beforeAll, describe, it, onTestFinished } from 'vitest';
import { githubHeaders } from '../helpers/payloads';
import type { PackageCreated } from '../../src/shared/types';
import { CHROMIUM } from '../../playwright.config';
import { fakeGitHub } from '../fakes/harness';
import { startPostgres, type PostgresCluster } from '../helpers/postgres-cluster';
import { call } from '../helpers/serve-api';
import { startServeWith } from '../helpers/serve-process';

let cluster: PostgresCluster;
beforeAll(async () => {
  cluster = await startPostgres();
}, 60_000);
afterAll(() => cluster?.stop());

describe('a window on one serve --database instance', () => {
  it('shows at once what is done through another instance: a package added there, a delivery it received, an inbox made there', { timeout: 120_000 }, async () => {
    const url = cluster.createDatabase('team_window');
    const env = { HOOKBENCH_SECRET_KEY: randomBytes(32).toString('base64') };
    const [a, b] = await Promise.all([startServeWith(['--database', url], env), startServeWith(['--database', url], env)]);
    onTestFinished(() => Promise.all([a.stop(), b.stop()]).then(() => undefined));
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    onTestFinished(() => browser.close());
    const page = await browser.newPage({ viewport: { width: 1400, height: 800 } });
    const errors: string[] = [];
    page.on('pageerror', (error) => errors.push(error.message));

    await page.goto(b.ui);
    await expect(page.getByText('No packages yet')).toBeVisible();
    await expect(page.locator('.live-live')).toBeVisible();
    // Nothing on the first screen answers "not on a team server": every list it shows runs on the database.
    await expect(page.locator('.banner')).toHaveCount(0);

    const pkg = await call<PackageCreated>(a, 'packages.add', { provider: 'github', repo: 'team/shared', repoId: '91' });
    await expect(page.getByRole('list', { name: 'Packages' })).toContainText('team/shared');

    const body = JSON.stringify({ ref: 'refs/tags/v2.0.0', after: 'c'.repeat(40), created: true, deleted: false, repository: { id: 91, full_name: 'team/shared' } });
    const delivered = await fetch(a.receiver + new URL(pkg.hookUrl).pathname, {
      method: 'POST',
      body,
      headers: await githubHeaders('push', body, pkg.secret),
    });
    expect(delivered.status).toBe(202);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deliveries' }).click();
    const row = page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id]').first();
    await expect(row).toContainText('v2.0.0');
    await expect(row).toContainText('ingested');

    await call(a, 'inboxes.add', { name: 'Shared inbox', dialect: 'none' });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Inboxes' }).click();
    await expect(page.getByText('Shared inbox').first()).toBeVisible();

    // The Tunnel page offers the tunnel (one instance runs it); provider connections are kept on the
    // database, so one added through another instance is listed.
    const gh = await fakeGitHub();
    gh.addToken('ghp_team', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    await call(a, 'connections.add', { provider: 'github', token: 'ghp_team', baseUrl: gh.url });
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Tunnel' }).click();
    await expect(page.getByRole('button', { name: 'Create a channel' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Add connection' })).toBeVisible();
    await expect(page.getByRole('table', { name: 'Connections' })).toContainText('octocat');

    // The Storage page names the team's database and how it is backed up, instead of a backup form that could only fail.
    await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Storage' }).click();
    await expect(page.getByTestId('storage-database')).toContainText("in the team's PostgreSQL database");
    await expect(page.getByTestId('storage-team-backup')).toContainText('pg_dump --format=custom');
    await expect(page.getByRole('form', { name: 'Back up now' })).toHaveCount(0);
    await expect(page.locator('.banner')).toHaveCount(0);
    expect(errors).toEqual([]);
  });
});
