import { createHmac } from 'node:crypto';
import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, shoot, startSink, tagPush } from './helpers';

const sign = (secret: string, body: string) => 'sha256=' + createHmac('sha256', secret).update(body).digest('hex');

test('an exact replay reaches a local sink byte for byte, with the original signature', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const pkg = await addPackage(serve);
    const body = tagPush(4242, 'v1.0.0');
    const hostile = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script>';
    const headers = githubHeaders('push', body, pkg.secret, { 'x-note': hostile });
    expect((await post(pkg.hookUrl, body, headers)).status).toBe(202);

    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
    await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
    await page.getByRole('button', { name: 'Replay…' }).click();

    const dialog = page.getByRole('dialog', { name: 'Replay delivery #1' });
    await expect(dialog.getByRole('tab', { name: 'Exact' })).toHaveAttribute('aria-selected', 'true');
    await dialog.getByRole('radio', { name: 'A URL' }).check();
    await dialog.getByLabel('URL', { exact: true }).fill(sink.url);
    // Exact: the preview is the original headers, signature included.
    const preview = dialog.getByTestId('replay-preview');
    await expect(preview.getByRole('row', { name: /X-Hub-Signature-256/i })).toContainText(headers['x-hub-signature-256']!);
    await expect(preview.locator('tr.changed, tr.added')).toHaveCount(0);
    // Header values are text: shown, never parsed.
    await expect(preview.getByRole('row', { name: /x-note/ })).toContainText(hostile);
    await expect(dialog.locator('img, script')).toHaveCount(0);

    await dialog.getByRole('button', { name: 'Send replay' }).click();
    const result = dialog.getByRole('region', { name: 'Replay result' });
    await expect(result.getByRole('heading', { name: /Replay #1/ })).toContainText('200');
    await expect(result.getByTestId('replay-duration')).toContainText(/exact · \d+ ms/);
    await expect(result.getByTestId('replay-response')).toHaveText('{"ok":true}');

    expect(sink.received).toHaveLength(1);
    const got = sink.received[0]!;
    expect(got.body).toBe(body);
    expect(got.headers['x-hub-signature-256']).toBe(headers['x-hub-signature-256']);
    expect(got.headers['x-github-delivery']).toBe(headers['x-github-delivery']);
    expect(got.headers['x-note']).toBe(hostile);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    // Still verifies with the package's secret at the sink.
    expect(sign(pkg.secret, got.body)).toBe(got.headers['x-hub-signature-256']);
    await result.scrollIntoViewIfNeeded();
    await shoot(page, 'replay-exact');

    // The replay is listed on the delivery.
    await dialog.getByRole('button', { name: 'Close' }).first().click();
    await expect(dialog).toBeHidden();
    const replays = page.getByRole('table', { name: 'Replays of this delivery' });
    await expect(replays.locator('tbody tr')).toHaveCount(1);
    await expect(replays).toContainText(sink.url);
  } finally {
    await sink.close();
  }
});

test('a re-signed replay into this Hookbench keeps the delivery id and is taken as a duplicate; the preview signs as you type', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const body = tagPush(4242, 'v2.0.0');
  const headers = githubHeaders('push', body, pkg.secret);
  expect((await post(pkg.hookUrl, body, headers)).status).toBe(202);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  await expect(page.getByRole('heading', { name: 'Delivery #1' })).toContainText('ingested');
  await page.getByRole('button', { name: 'Replay…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Replay delivery #1' });
  await dialog.getByRole('tab', { name: 'Re-signed' }).click();
  await expect(dialog.getByRole('radio', { name: 'This Hookbench' })).toBeChecked();
  await expect(dialog.getByLabel('Hook', { exact: true })).toHaveValue('');
  await expect(dialog.getByRole('radio', { name: /Keep the original/ })).toBeChecked();

  // Without a secret the package's own signs it, and the preview is the engine's own build of
  // the request: the very signature that secret gives (here the original's: same body).
  const preview = dialog.getByTestId('replay-preview');
  const signature = preview.getByRole('row', { name: /X-Hub-Signature-256/i });
  await expect(signature).toContainText(sign(pkg.secret, body));
  await expect(dialog.getByRole('region', { name: 'Headers to be sent' })).toContainText('signed as github');
  await expect(preview.getByRole('row', { name: /X-GitHub-Delivery/i })).toContainText(headers['x-github-delivery']!);

  // With a secret typed in, the preview shows the signature that secret gives, live.
  await dialog.getByLabel('Secret', { exact: true }).fill('typed-secret');
  await expect(signature).toContainText(sign('typed-secret', body));
  await dialog.getByLabel('Secret', { exact: true }).fill('typed-secret-2');
  await expect(signature).toContainText(sign('typed-secret-2', body));

  // Edited: change the body and a header; the preview re-signs the new body.
  await dialog.getByRole('tab', { name: 'Edited' }).click();
  const edited = body.replace('v2.0.0', 'v2.0.1');
  await dialog.getByLabel('Replay body').fill(edited);
  await dialog.getByLabel('Replay headers').press('End');
  await dialog.getByLabel('Replay headers').fill(`${await dialog.getByLabel('Replay headers').inputValue()}\nX-Replayed-By: hookbench`);
  await expect(signature).toContainText(sign('typed-secret-2', edited));
  await expect(preview.locator('tr.added').filter({ hasText: 'X-Replayed-By' })).toHaveCount(1);
  await shoot(page, 'replay-edited');

  // Back to re-signed with the package's own secret, and send.
  await dialog.getByRole('tab', { name: 'Re-signed' }).click();
  await dialog.getByLabel('Secret', { exact: true }).fill('');
  await expect(signature).toContainText(sign(pkg.secret, body));
  await dialog.getByRole('button', { name: 'Send replay' }).click();
  const result = dialog.getByRole('region', { name: 'Replay result' });
  const landed = result.getByTestId('replay-delivery');
  await expect(landed).toContainText('delivery #2');
  await expect(landed).toContainText('duplicate');
  await expect(landed).toContainText('signature valid');
  await expect(landed).toContainText('duplicate of #1');
  await expect(result.getByTestId('replay-response')).toContainText('"duplicate":true');
  await shoot(page, 'replay-resigned');

  // The link opens the new delivery: it came in as a replay, deduped against the first.
  await landed.getByRole('button', { name: 'delivery #2' }).click();
  await expect(dialog).toBeHidden();
  await expect(page.getByRole('heading', { name: 'Delivery #2' })).toContainText('duplicate');
  await expect(page.locator('.detail-head')).toContainText('via replay');
  await expect(page.getByTestId('verdict-reason')).toBeVisible();
});

test('an outbound attempt can be replayed from the endpoint log', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const ep = await api<{ id: string; secret: string }>(serve, 'endpoints.add', {
      name: 'Relay',
      url: sink.url,
      dialect: 'standard-webhooks',
      events: ['release.published'],
    });
    await api(serve, 'endpoints.trigger', { id: ep.id, event: 'release.published' });
    await expect.poll(() => sink.received.length).toBe(1);

    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Endpoints', exact: true }).click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    await attempts.locator(':scope > tbody > tr').first().getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: /Replay attempt #\d+/ });
    await expect(dialog.getByRole('radio', { name: 'A URL' })).toBeChecked();
    await expect(dialog.getByLabel('URL', { exact: true })).toHaveValue(sink.url);
    await dialog.getByRole('button', { name: 'Send replay' }).click();
    await expect(dialog.getByRole('region', { name: 'Replay result' }).getByRole('heading', { name: /Replay #1/ })).toContainText('200');
    expect(sink.received).toHaveLength(2);
    expect(sink.received[1]!.body).toBe(sink.received[0]!.body);
    expect(sink.received[1]!.headers['webhook-signature']).toBe(sink.received[0]!.headers['webhook-signature']);
  } finally {
    await sink.close();
  }
});
