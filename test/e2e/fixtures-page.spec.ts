import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, startSink, tagPush } from './helpers';

test('a delivery saved as a fixture fires at a package and lands as a new delivery; the library adds samples', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const body = tagPush(4242, 'v3.0.0');
  expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
  await expect(page.getByText('No fixtures yet')).toBeVisible();
  await shoot(page, 'empty-fixtures');

  // Save the delivery from its detail.
  await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  await page.getByRole('button', { name: 'Save as fixture' }).click();
  const saved = page.getByTestId('fixture-saved');
  await expect(saved).toContainText('Saved as fixture “push v3.0.0 (delivery #1)”');
  await saved.getByRole('button', { name: 'Open it in Fixtures' }).click();

  // Viewed as text: headers and body.
  const view = page.getByRole('main');
  await expect(view.getByRole('heading', { name: 'push v3.0.0 (delivery #1)' })).toBeVisible();
  await expect(view.getByRole('table', { name: 'Fixture headers' })).toContainText('x-hub-signature-256');
  await expect(view.getByTestId('body')).toContainText('"ref": "refs/tags/v3.0.0"');
  await expect(page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button')).toHaveCount(1);

  // Fire it at the package's hook: signed with the package secret, it is received as a provider call.
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  await expect(fire.getByRole('radio', { name: "A package's hook" })).toBeChecked();
  await fire.getByRole('button', { name: 'Fire' }).click();
  const landed = fire.getByTestId('replay-delivery');
  await expect(landed).toContainText('delivery #2');
  await expect(landed).toContainText('signature valid');
  // Same delivery id as the delivery it was saved from: the receiver dedupes it.
  await expect(landed).toContainText('duplicate of #1');
  await shoot(page, 'fixtures');

  // At an endpoint: queued as a message, signed as the endpoint signs.
  const sink = await startSink();
  try {
    await api(serve, 'endpoints.add', { name: 'Sink', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    await fire.getByRole('radio', { name: 'An endpoint' }).check();
    await expect(fire.getByLabel('Endpoint', { exact: true })).toHaveValue(/.+/);
    await fire.getByRole('button', { name: 'Fire' }).click();
    await expect(fire.getByTestId('fire-message')).toContainText('for Sink');
    await expect.poll(() => sink.received.length).toBe(1);
    expect(sink.received[0]!.body).toBe(body);
    expect(sink.received[0]!.headers['webhook-signature']).toMatch(/^v1,/);
  } finally {
    await sink.close();
  }

  // The delivery the package fire became: received as a replay.
  await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="2"]').click();
  await expect(page.getByRole('heading', { name: 'Delivery #2' })).toContainText('duplicate');
  await expect(page.locator('.detail-head')).toContainText('via replay');
  await expect(page.getByTestId('delivery-count')).toHaveText('2 deliveries');

  // The library: grouped by dialect, searchable; Add saves a sample as a fixture.
  await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
  await page.getByRole('button', { name: 'Library', exact: true }).click();
  const library = page.getByRole('region', { name: 'Fixture library' });
  await expect(library.locator('details.lib-group').first()).toBeVisible();
  await page.getByLabel('Search the library').fill('stripe');
  await expect(library.getByRole('table', { name: 'Stripe samples' })).toBeVisible();
  await shoot(page, 'fixtures-library');
  await page.getByLabel('Search the library').fill('invoice.paid');
  await expect(library.locator('details.lib-group')).toHaveCount(1);
  await library.getByRole('button', { name: 'Add stripe/invoice.paid' }).click();
  await expect(page.getByRole('heading', { name: 'stripe/invoice.paid' })).toBeVisible();
  await expect(page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button')).toHaveCount(2);

  // Delete it again (two clicks).
  await page.getByRole('button', { name: 'Delete' }).click();
  await page.getByRole('button', { name: 'Click again to delete' }).click();
  await expect(page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button')).toHaveCount(1);
});
