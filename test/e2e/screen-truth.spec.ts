import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, startSink, tagPush } from './helpers';

const dataDirOf = async (serve: Parameters<typeof api>[0]) => (await api<{ dataDir: string }>(serve, 'server.info')).dataDir;

test('Packages: latest is the highest stable version, the hook verified by its first delivery, a prerelease reads "1 note"', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  for (const tag of ['v1.0.0', 'v2.1.0', 'v1.3.0', 'v3.0.0-rc.1']) expect((await post(pkg.hookUrl, tagPush(4242, tag), githubHeaders('push', tagPush(4242, tag), pkg.secret))).status).toBe(202);
  await page.goto(serve.ui);
  const releases = page.getByRole('table', { name: 'Releases' });
  await expect(releases.locator('.drow:not(.dhead)')).toHaveCount(4);
  const list = page.getByRole('list', { name: 'Packages' });
  await expect(list).toContainText('latest v2.1.0');
  await expect(list).toContainText('active');
  await expect(page.locator('.detail .kv')).toContainText(/Verified by the "push" delivery #1: its signature matches the hook's secret\./);

  const rc = releases.locator('.drow:not(.dhead)').filter({ hasText: 'v3.0.0-rc.1' });
  await expect(rc).toContainText('3/3 passed · 1 note');
  await expect(releases.locator('.drow:not(.dhead)').filter({ hasText: 'v2.1.0' })).toContainText('3/3 passed');
  await rc.click();
  const quality = page.getByRole('table', { name: 'Quality of v3.0.0-rc.1' });
  await expect(quality.getByRole('row', { name: /prerelease-flagged/ })).toContainText('note');
  await expect(quality.getByRole('row', { name: /prerelease-flagged/ })).not.toContainText('fail');
  await shoot(page, 'packages-latest');
});

test('Add package: a second package for the same repository is refused, naming the first', async ({ page, serve }) => {
  const first = await addPackage(serve, 'octo/widgets', '4242');
  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Add package' }).click();
  await page.getByLabel('Repository', { exact: true }).fill('octo/widgets-fork');
  await page.getByLabel('Repository id').fill('4242');
  await page.getByRole('form', { name: 'Add package' }).getByRole('button', { name: 'Add package' }).click();
  await expect(page.getByRole('form', { name: 'Add package' })).toContainText(
    `Package "octo/widgets" (${first.id}) already receives GitHub repository octo/widgets (id 4242).`,
  );
  await expect(page.getByTestId('created-secret')).toHaveCount(0);
  await shoot(page, 'package-duplicate');
});

test('Replay into this Hookbench says what it will set off before it is sent', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const pkg = await addPackage(serve);
    await api(serve, 'endpoints.add', { name: 'Shop', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    const body = tagPush(4242, 'v1.0.0');
    expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
    await expect.poll(() => sink.received.length).toBe(1);

    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
    await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay delivery #1' });
    const effect = dialog.getByTestId('replay-effect');
    await expect(effect).toContainText(/already has delivery id .* \(delivery #1\): it is recorded as a duplicate and nothing is ingested or sent/);

    await dialog.getByRole('tab', { name: 'Edited' }).click();
    await dialog.getByLabel('Replay body').fill(body.replace('v1.0.0', 'v2.0.0'));
    await dialog.getByRole('radio', { name: 'Mint a new one' }).check();
    await expect(effect).toHaveText('This will be ingested by package octo/widgets: tag v2.0.0 publishes release 2.0.0 and sends release.published to 1 active endpoint.');
    await shoot(page, 'replay-effect');
    await dialog.getByRole('button', { name: 'Send replay' }).click();
    await expect.poll(() => sink.received.length).toBe(2);
  } finally {
    await sink.close();
  }
});

test('Firing a fixture into a package says what it will set off there before it is fired', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const body = tagPush(4242, 'v1.0.0');
  expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
  await api(serve, 'fixtures.save', { ref: '1', name: 'v1 push' });
  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  await expect(fire.getByTestId('fire-effect')).toContainText(/already has delivery id .* \(delivery #1\): it is recorded as a duplicate and nothing is ingested or sent/);
  await shoot(page, 'fixture-fire-effect');
  await fire.getByRole('button', { name: 'Fire' }).click();
  await expect(fire.getByTestId('replay-delivery')).toContainText('duplicate of #1');
});

test('Activity: endpoint events and replays are there, a removed package keeps its name, older times show their date', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const pkg = await addPackage(serve, 'octo/gadgets', '77');
    const body = tagPush(77, 'v1.0.0');
    expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
    const ep = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Shop', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    await api(serve, 'endpoints.disable', { id: ep.id, reason: 'Maintenance.' });
    await api(serve, 'endpoints.rotateSecret', { id: ep.id });
    await api(serve, 'replay.run', { ref: '1', mode: 'exact', to: sink.url });
    await api(serve, 'packages.remove', { id: pkg.id });
    // An entry from two days ago, as an older database would hold it.
    const db = new Database(join(await dataDirOf(serve), 'hookbench.sqlite'));
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    db.prepare("INSERT INTO activity (at, kind, message) VALUES (?, 'tunnel_connected', 'Tunnel connected.')").run(twoDaysAgo.getTime());
    db.close();

    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Activity', exact: true }).click();
    const feed = page.getByRole('list', { name: 'Activity' });
    await expect(feed.locator('li').filter({ hasText: 'Endpoint Shop disabled: Maintenance.' })).toHaveCount(1);
    await expect(feed.locator('li').filter({ hasText: 'signing secret rotated' })).toHaveCount(1);
    await expect(feed.locator('li').filter({ hasText: `delivery:1 replayed (exact) to ${sink.url}: answered 200.` })).toHaveCount(1);
    const removed = feed.locator('li').filter({ hasText: 'Package octo/gadgets removed' });
    await expect(removed).toContainText('removed package octo/gadgets');
    await expect(feed.locator('li').filter({ hasText: 'ingested from tag v1.0.0' })).toContainText('removed package octo/gadgets');
    await expect(feed).not.toContainText(pkg.id);
    const months = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
    const old = feed.locator('li').filter({ hasText: 'Tunnel connected.' }).locator('time');
    await expect(old).toContainText(`${months[twoDaysAgo.getMonth()]} ${twoDaysAgo.getDate()}`);
    await shoot(page, 'activity-feed');
  } finally {
    await sink.close();
  }
});

test('An unexpected engine failure names the engine log that holds its stack, and says "try again" at most once', async ({ page, serve }) => {
  const dataDir = await dataDirOf(serve);
  const db = new Database(join(dataDir, 'hookbench.sqlite'));
  db.exec('DROP TABLE fixtures');
  db.close();
  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
  const banner = page.getByRole('alert').filter({ hasText: 'Unexpected error' });
  await expect(banner).toContainText(`Unexpected error in fixtures.list: no such table: fixtures. Its stack is in the engine log, ${join(dataDir, 'engine.log')}.`);
  expect((await banner.textContent())!.match(/try again/gi) ?? []).toHaveLength(0);
  await shoot(page, 'engine-error');
});
