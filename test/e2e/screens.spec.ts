import { test, expect } from './fixtures';
import type { Page } from '@playwright/test';
import { addPackage, api, expectFits, githubHeaders, post, shoot, shootWidths, startSink, tagPush } from './helpers';

/** One screen: shot at the default size (the README's), at 800 and 1400 px, light and dark, and checked to fit at every width. */
async function screen(page: Page, name: string): Promise<void> {
  await shoot(page, name);
  await shootWidths(page, name);
  await expectFits(page, name);
}

/**
 * A tour of every main screen over realistic state, saved to docs/screenshots in the
 * light and the dark theme. Each shot waits for the state it shows.
 */
test('every main screen, in light and dark', async ({ page, serve }) => {
  test.setTimeout(600_000);
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
    await screen(page, 'packages');

    // Deliveries: the live list with a delivery open.
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(page.getByTestId('delivery-count')).toHaveText('10 deliveries');
    await table.locator('.drow').filter({ hasText: 'v1.1.0' }).click();
    await expect(page.getByRole('heading', { name: /Delivery #\d+/ })).toBeVisible();
    await page.keyboard.press('j');
    await screen(page, 'deliveries');

    // Delivery detail: a rejected delivery and its diagnosis.
    await table.locator('.drow').filter({ hasText: 'rejected' }).first().click();
    await expect(page.getByTestId('diagnosis-fix')).toBeVisible();
    await screen(page, 'delivery-detail');

    // Debugger: that delivery, its secret, and the answer.
    await page.getByRole('button', { name: 'Open in debugger' }).click();
    const form = page.getByRole('form', { name: 'Diagnose a signature' });
    await form.getByLabel('Secrets').fill(widgets.secret);
    await form.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.getByTestId('diagnosis-cause')).toHaveText('Body changed after signing (re-serialized JSON)');
    await screen(page, 'debugger');

    await page.getByRole('tab', { name: 'Calculator' }).click();
    const calc = page.getByRole('form', { name: 'Sign a request' });
    await calc.getByLabel('Dialect').selectOption('stripe');
    await calc.getByLabel('Event').selectOption('invoice.paid');
    await calc.getByLabel('Secret').fill('whsec_test_secret_for_the_docs');
    await calc.getByLabel('Body').fill('{"id":"evt_1","type":"invoice.paid"}');
    await calc.getByRole('button', { name: 'Sign' }).click();
    await expect(page.getByRole('table', { name: 'Signed headers' })).toContainText('Stripe-Signature');
    await screen(page, 'calculator');

    // Endpoints: stats, chart, and the attempt log with a failure open.
    await page.getByRole('button', { name: 'Endpoints' }).click();
    await page.getByRole('list', { name: 'Endpoints' }).getByText('Release relay').click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    // Two failed first tries; a quick retry can fail too before the sink recovers.
    await expect.poll(() => attempts.locator(':scope > tbody > tr').filter({ hasText: '503' }).count()).toBeGreaterThanOrEqual(2);
    await expect(page.getByRole('figure', { name: 'Success and latency over time' }).locator('rect.bar-bad').first()).toBeVisible();
    await screen(page, 'endpoints');
    await attempts.locator(':scope > tbody > tr').filter({ hasText: '503' }).first().click();
    await expect(page.getByTestId('response-body')).toHaveText('{"error":"upstream unavailable"}');
    await page.getByTestId('response-body').scrollIntoViewIfNeeded();
    await screen(page, 'endpoint-attempt');

    await page.getByRole('button', { name: 'New endpoint' }).click();
    await expect(page.getByRole('form', { name: 'New endpoint' })).toBeVisible();
    await screen(page, 'endpoint-new');

    // The form with everything endpoint add takes, a template previewed as it is typed.
    const newForm = page.getByRole('form', { name: 'New endpoint' });
    await newForm.getByLabel('Name').fill('Team chat');
    await newForm.getByLabel('URL').fill('https://chat.example.com/hooks/T000/B000/XXXXXXXXXXXXXXXXXXXXXXXX');
    await newForm.getByRole('radio', { name: 'My template' }).check();
    await expect(newForm.getByTestId('body-preview')).toContainText('acme/widget-sdk');
    await newForm.getByLabel("Relay a package's deliveries").selectOption({ label: 'octo/widgets (octo/widgets)' });
    await newForm.getByRole('radio', { name: 'My template' }).scrollIntoViewIfNeeded();
    await screen(page, 'endpoint-form');
    await newForm.getByRole('button', { name: 'Cancel' }).click();

    // Activity: the feed.
    await page.getByRole('button', { name: 'Activity' }).click();
    await expect(page.getByRole('list', { name: 'Activity' })).toContainText('Signature invalid');
    await screen(page, 'activity');

    // Fixtures: a delivery kept as a fixture, and a copy being edited with its signature preview.
    const saved = await api<{ id: number }>(serve, 'fixtures.save', { ref: 'delivery:3', name: 'Tag push v1.0.0' });
    await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
    await page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button', { name: /Tag push v1\.0\.0/ }).click();
    await expect(page.getByRole('heading', { name: 'Tag push v1.0.0' })).toBeVisible();
    // Two GitHub packages: it is fired at the one whose repository it came from.
    await expect(page.getByRole('region', { name: 'Fire fixture' }).getByLabel('Package', { exact: true })).toHaveValue(widgets.id);
    await screen(page, 'fixture');
    await page.getByRole('button', { name: 'Edit a copy' }).click();
    const copy = page.getByRole('region', { name: 'Edit a copy' });
    await copy.getByRole('textbox', { name: /^Body/ }).fill(tagPush(4242, 'v1.0.9'));
    await expect(copy.getByTestId('replay-preview')).toContainText(/x-hub-signature-256/i);
    await screen(page, 'fixture-copy');
    void saved;

    // Tunnel and Storage.
    await page.getByRole('button', { name: 'Tunnel', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Tunnel' })).toBeVisible();
    await screen(page, 'tunnel-page');
    await page.getByRole('button', { name: 'Storage', exact: true }).click();
    await expect(page.getByRole('region', { name: 'Disk use' })).toBeVisible();
    await screen(page, 'storage-page');

    // Deliveries filtered by the address: a rejected one open.
    await page.goto(`${serve.ui}#deliveries?outcome=rejected`);
    await expect(page.getByTestId('delivery-count')).toHaveText(/^\d+ deliver/);
    await screen(page, 'deliveries-filtered');
  } finally {
    await sink.close();
  }
});

test('empty states, on a fresh data dir', async ({ page, serve }) => {
  await page.goto(serve.ui);
  await expect(page.getByText('No packages yet')).toBeVisible();
  await screen(page, 'empty-packages');
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await expect(page.getByText('No deliveries yet')).toBeVisible();
  await expect(page.getByRole('button', { name: 'Add a package' })).toBeVisible();
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await expect(page.getByText('No endpoints yet')).toBeVisible();
  await screen(page, 'empty-endpoints');
  await page.getByRole('button', { name: 'Activity' }).click();
  await expect(page.getByText('Nothing has happened yet')).toBeVisible();
});
