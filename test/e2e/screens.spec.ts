import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, startSink, tagPush } from './helpers';

/**
 * A tour of every main screen over realistic state, saved to docs/screenshots in the
 * light and the dark theme. Each shot waits for the state it shows.
 */
test('every main screen, in light and dark', async ({ page, serve }) => {
  test.setTimeout(120_000);
  const sink = await startSink();
  try {
    const widgets = await addPackage(serve, 'octo/widgets', '4242');
    const gizmo = await addPackage(serve, 'acme/gizmo', '777');
    const push = (pkg: typeof widgets, repoId: number, tag: string, secret = pkg.secret) => {
      const body = tagPush(repoId, tag);
      return post(pkg.hookUrl, body, githubHeaders('push', body, secret)).then((r) => r.arrayBuffer());
    };
    const ping = (pkg: typeof widgets, repoId: number) => {
      const body = JSON.stringify({ zen: 'Design for failure.', hook_id: 1, repository: { id: repoId } });
      return post(pkg.hookUrl, body, githubHeaders('ping', body, pkg.secret)).then((r) => r.arrayBuffer());
    };

    const endpoint = await api<{ id: string }>(serve, 'endpoints.add', {
      name: 'Release relay',
      url: sink.url,
      dialect: 'standard-webhooks',
      events: ['release.published', 'release.checks_failed'],
    });
    await api(serve, 'endpoints.add', { name: 'Chat notifier', url: 'http://127.0.0.1:9/closed', dialect: 'slack', events: ['release.published'] });

    await ping(widgets, 4242);
    await ping(gizmo, 777);
    for (const tag of ['v1.0.0', 'v1.1.0', 'v1.2.0-rc.1', 'release-candidate']) await push(widgets, 4242, tag);
    await push(gizmo, 777, 'v0.9.0');
    await push(widgets, 4242, 'v2.0.0', 'a stale secret');
    const body = tagPush(4242, 'v2.0.1');
    await post(widgets.hookUrl, JSON.stringify(JSON.parse(body), null, 2), githubHeaders('push', body, widgets.secret));
    const issue = JSON.stringify({ action: 'opened', repository: { id: 4242 } });
    await post(widgets.hookUrl, issue, githubHeaders('issues', issue, widgets.secret));
    for (let i = 0; i < 6; i++) await api(serve, 'endpoints.trigger', { id: endpoint.id, event: 'release.published' });
    await expect.poll(() => sink.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(6);
    sink.answer(503, '{"error":"upstream unavailable"}');
    const before = sink.received.length;
    for (let i = 0; i < 2; i++) await api(serve, 'endpoints.trigger', { id: endpoint.id, event: 'release.published' });
    // Two failures, then the service recovers and the retries go through.
    await expect.poll(() => sink.received.length, { timeout: 20_000 }).toBeGreaterThanOrEqual(before + 2);
    sink.answer(200, '{"ok":true}');

    await page.goto(serve.ui);

    // Packages: the list and a package with its releases and one release's checks open.
    const releases = page.getByRole('table', { name: 'Releases' });
    await page.getByRole('list', { name: 'Packages' }).getByText('octo/widgets').click();
    await expect(releases).toContainText('v1.2.0-rc.1');
    await releases.getByText('v1.2.0-rc.1').click();
    await expect(page.getByRole('table', { name: 'Quality of v1.2.0-rc.1' })).toBeVisible();
    await shoot(page, 'packages');

    // Deliveries: the live list with a delivery open.
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(page.getByTestId('delivery-count')).toHaveText('10 deliveries');
    await table.locator('.drow').filter({ hasText: 'v1.1.0' }).click();
    await expect(page.getByRole('heading', { name: /Delivery #\d+/ })).toBeVisible();
    await page.keyboard.press('j');
    await shoot(page, 'deliveries');

    // Delivery detail: a rejected delivery and its diagnosis.
    await table.locator('.drow').filter({ hasText: 'rejected' }).first().click();
    await expect(page.getByTestId('diagnosis-fix')).toBeVisible();
    await shoot(page, 'delivery-detail');

    // Debugger: that delivery, its secret, and the answer.
    await page.getByRole('button', { name: 'Open in debugger' }).click();
    const form = page.getByRole('form', { name: 'Diagnose a signature' });
    await form.getByLabel('Secrets').fill(widgets.secret);
    await form.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.getByTestId('diagnosis-cause')).toHaveText('Body changed after signing (re-serialized JSON)');
    await shoot(page, 'debugger');

    await page.getByRole('tab', { name: 'Calculator' }).click();
    const calc = page.getByRole('form', { name: 'Sign a request' });
    await calc.getByLabel('Dialect').selectOption('stripe');
    await calc.getByLabel('Event').selectOption('invoice.paid');
    await calc.getByLabel('Secret').fill('whsec_test_secret_for_the_docs');
    await calc.getByLabel('Body').fill('{"id":"evt_1","type":"invoice.paid"}');
    await calc.getByRole('button', { name: 'Sign' }).click();
    await expect(page.getByRole('table', { name: 'Signed headers' })).toContainText('Stripe-Signature');
    await shoot(page, 'calculator');

    // Endpoints: stats, chart, and the attempt log with a failure open.
    await page.getByRole('button', { name: 'Endpoints' }).click();
    await page.getByRole('list', { name: 'Endpoints' }).getByText('Release relay').click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    // Two failed first tries; a quick retry can fail too before the sink recovers.
    await expect.poll(() => attempts.locator(':scope > tbody > tr').filter({ hasText: '503' }).count()).toBeGreaterThanOrEqual(2);
    await expect(page.getByRole('figure', { name: 'Success and latency over time' }).locator('rect.bar-bad').first()).toBeVisible();
    await shoot(page, 'endpoints');
    await attempts.locator(':scope > tbody > tr').filter({ hasText: '503' }).first().click();
    await expect(page.getByTestId('response-body')).toHaveText('{"error":"upstream unavailable"}');
    await page.getByTestId('response-body').scrollIntoViewIfNeeded();
    await shoot(page, 'endpoint-attempt');

    await page.getByRole('button', { name: 'New endpoint' }).click();
    await expect(page.getByRole('form', { name: 'New endpoint' })).toBeVisible();
    await shoot(page, 'endpoint-new');

    // Activity: the feed.
    await page.getByRole('button', { name: 'Activity' }).click();
    await expect(page.getByRole('list', { name: 'Activity' })).toContainText('Signature invalid');
    await shoot(page, 'activity');
  } finally {
    await sink.close();
  }
});

test('empty states, on a fresh data dir', async ({ page, serve }) => {
  await page.goto(serve.ui);
  await expect(page.getByText('No packages yet')).toBeVisible();
  await shoot(page, 'empty-packages');
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page.getByText('No deliveries yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a package' })).toBeVisible();
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await expect(page.getByText('No endpoints yet')).toBeVisible();
  await shoot(page, 'empty-endpoints');
  await page.getByRole('button', { name: 'Activity' }).click();
  await expect(page.getByText('Nothing has happened yet')).toBeVisible();
});
