import { runCli } from '../helpers/serve-process';
import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, startSink, tagPush } from './helpers';

test('a disabled endpoint says its messages wait, counts them live from any process, and sends them when enabled', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const ep = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Release relay', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    await api(serve, 'endpoints.disable', { id: ep.id, reason: 'receiver down for maintenance' });
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Endpoints' }).click();

    const banner = page.getByTestId('endpoint-disabled');
    await expect(banner).toHaveText('Disabled: receiver down for maintenance. Nothing is sent, nothing is dropped: 0 messages wait and new events keep queuing until you enable it.');
    const pending = page.getByRole('region', { name: 'Endpoint statistics' }).locator('.tile', { hasText: 'Pending' });
    await expect(pending.locator('strong')).toHaveText('0');
    await expect(pending).toContainText('kept until enabled');

    // Send sample: it is queued and says it waits, instead of promising an attempt.
    await page.getByRole('button', { name: 'Send sample' }).click();
    await expect(page.getByTestId('endpoint-note')).toContainText('This endpoint is disabled, so it waits with the other pending messages and is sent when you enable it.');
    await expect(pending.locator('strong')).toHaveText('1');

    // A release published through a real delivery queues for it too.
    const pkg = await addPackage(serve);
    const body = tagPush(4242, 'v2.0.0');
    expect((await post(pkg.hookUrl.replace(/^.*\/hooks\//, `${serve.receiver}/hooks/`), body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
    await expect(pending.locator('strong')).toHaveText('2');

    // Queued by another process (the CLI beside serve): the tile follows without a reload.
    const cli = await runCli(['trigger', '--endpoint', ep.id, '--event', 'release.published', '--data-dir', serve.dataDir]);
    expect(cli.stdout).toContain('is queued and waits');
    await expect(pending.locator('strong')).toHaveText('3');
    await expect(banner).toContainText('3 messages wait');

    await page.getByRole('tab', { name: /Messages/ }).click();
    const rows = page.getByRole('table', { name: 'Messages' }).locator('tbody > tr');
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText('waiting: endpoint disabled');
    await rows.first().getByRole('button', { name: 'Resend' }).click();
    await expect(page.getByTestId('endpoint-note')).toContainText('again. The endpoint is disabled: it waits until you enable it.');
    await shoot(page, 'endpoint-disabled');
    expect(sink.received).toHaveLength(0);

    await page.getByRole('button', { name: 'Enable' }).click();
    await expect(page.getByTestId('endpoint-note')).toContainText('Enabled: 3 waiting messages go out now');
    await expect(pending.locator('strong')).toHaveText('0');
    await expect(rows.filter({ hasText: 'succeeded' })).toHaveCount(3);
    expect(sink.received).toHaveLength(3);
  } finally {
    await sink.close();
  }
});
