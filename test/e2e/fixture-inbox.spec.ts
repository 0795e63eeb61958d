import { request } from 'node:http';
import { test, expect } from './fixtures';
import { api, expectFits, shootWidths, standardSignature } from './helpers';

/** fetch will not send PROPFIND with a body as given: a raw request does. */
function propfind(url: string, headers: Record<string, string>, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const target = new URL(url);
    const req = request({ host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'PROPFIND', headers }, (res) => {
      res.resume();
      res.on('end', () => resolve(res.statusCode ?? 0));
    });
    req.on('error', reject);
    req.end(body);
  });
}

test('a capture saved as a fixture from its inbox shows its request line and fires back into the inbox with it', async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'dav', dialect: 'standard-webhooks' });
  // A package beside it: a provider's fixture would go there, a capture must not.
  await api(serve, 'packages.add', { provider: 'github', repo: 'octo/widgets', repoId: '4242' });
  const body = '{"type":"file.locked"}';
  const ts = String(Math.floor(Date.now() / 1000));
  const status = await propfind(
    `${inbox.url}/a/b?x=1`,
    { 'content-type': 'application/json', 'webhook-id': 'msg_1', 'webhook-timestamp': ts, 'webhook-signature': standardSignature(inbox.secret, 'msg_1', ts, body) },
    body,
  );
  expect(status).toBe(200);

  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(serve.ui + '#inboxes');
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  await page.getByRole('button', { name: 'Save as fixture' }).click();
  await page.getByTestId('fixture-saved').getByRole('button', { name: 'Open it in Fixtures' }).click();

  const view = page.getByRole('main');
  await expect(view.getByTestId('fixture-request-line')).toHaveText('PROPFIND /a/b?x=1');
  // In the list, the request line has a line of its own: a long path never hides the dialect and event.
  const item = page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button', { name: /file\.locked/ });
  await expect(item.locator('.request-line')).toHaveText('PROPFIND /a/b?x=1');
  await expect(item).toContainText('standard-webhooks · file.locked · 22 B');
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  // It came from an inbox: it goes back into one by default, not into the package's hook.
  await expect(fire.getByRole('radio', { name: 'An inbox' })).toBeChecked();
  await expect(fire.getByLabel('Inbox', { exact: true }).locator('option:checked')).toHaveText('dav (standard-webhooks)');
  await expectFits(page, 'a fixture saved from an inbox');
  await fire.getByRole('button', { name: 'Fire' }).click();
  await expect(fire.getByTestId('replay-delivery')).toContainText('delivery #2');
  await expect(fire.getByTestId('replay-delivery')).toContainText('signature valid');
  await expect(fire.locator('.url-line')).toHaveText(`PROPFIND this Hookbench (/in/${inbox.id}/a/b?x=1)`);
  const landed = await api<{ hookId: string; method: string; path: string; bodyBase64: string }>(serve, 'deliveries.get', { id: 2 });
  expect(landed).toMatchObject({ hookId: inbox.id, method: 'PROPFIND', path: '/a/b?x=1' });
  expect(Buffer.from(landed.bodyBase64, 'base64').toString()).toBe(body);
  await shootWidths(page, 'fixtures-inbox');

  // To a URL the window says where the path goes.
  await fire.getByRole('radio', { name: 'A URL' }).check();
  await expect(fire).toContainText("Sent as PROPFIND; the saved path and query (/a/b?x=1) go after this URL's own.");

  // An edited copy previews where the fixture goes: into the inbox, with its request line, signed as the inbox checks.
  await page.getByRole('button', { name: 'Edit a copy' }).click();
  const editor = page.getByRole('region', { name: 'Edit a copy' });
  await expect(editor.getByLabel('Signature preview for').locator('option:checked')).toHaveText('Inbox dav (standard-webhooks), signed as it checks');
  await expect(editor.getByTestId('replay-target')).toHaveText(`PROPFIND hookbench:/in/${inbox.id}/a/b?x=1`);
  await editor.getByRole('textbox', { name: /^Body/ }).fill('{"type":"file.unlocked"}');
  await expect(editor).toContainText('signed as standard-webhooks');
  await editor.getByLabel('Name', { exact: true }).fill('unlocked');
  await editor.getByRole('button', { name: 'Save the copy' }).click();
  await expect(view.getByRole('heading', { name: 'unlocked' })).toBeVisible();
  await expect(view.getByTestId('fixture-request-line')).toHaveText('PROPFIND /a/b?x=1');

  // Where a fixture came from is one click away: the copy's original, then the capture it was saved from.
  await expect(view.locator('.detail-head')).toContainText('from a copy of fixture #1');
  await view.locator('.detail-head').getByRole('button', { name: 'fixture #1' }).click();
  await expect(view.getByRole('heading', { name: 'file.locked (delivery #1)' })).toBeVisible();
  await view.locator('.detail-head').getByRole('button', { name: 'delivery #1' }).click();
  await expect(page.getByRole('heading', { name: /Delivery #1/ })).toBeVisible();
});

test("an inbox's captures give the request line the room the Received by column took: every row was received by this inbox", async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'billing-events-from-the-payment-provider', dialect: 'none' });
  expect(await propfind(`${inbox.url}/dav/team?depth=1`, { 'content-type': 'application/json' }, '{}')).toBe(200);
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(serve.ui + '#inboxes');
  const table = page.getByRole('table', { name: 'Deliveries' });
  const line = table.locator('.drow[data-id="1"] .request-line');
  await expect(line).toHaveText('PROPFIND /dav/team?depth=1');
  await expect(table.getByRole('columnheader', { name: 'Received by' })).toBeHidden();
  // The whole line fits its cell at 800 px: nothing cut off behind an ellipsis.
  expect(await line.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  await expectFits(page, "an inbox's captures");

  // The Deliveries page, which mixes packages and inboxes, keeps the column.
  await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await expect(page.getByRole('table', { name: 'Deliveries' }).getByRole('columnheader', { name: 'Received by' })).toBeVisible();
});

test('a target with nothing to fire at says there is none yet; with nothing at all the URL is chosen', async ({ page, serve }) => {
  const library = await api<{ key: string }[]>(serve, 'fixtures.library');
  await api(serve, 'fixtures.save', { libraryKey: library[0]!.key });
  await page.goto(serve.ui + '#fixtures');
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  await expect(fire.getByRole('radio', { name: "A package's hook (none yet)" })).toBeDisabled();
  await expect(fire.getByRole('radio', { name: 'An inbox (none yet)' })).toBeDisabled();
  await expect(fire.getByRole('radio', { name: 'An endpoint (none yet)' })).toBeDisabled();
  // Not a disabled choice left checked: the one target that needs nothing made first.
  await expect(fire.getByRole('radio', { name: 'A URL' })).toBeChecked();
  await expect(fire.getByLabel('URL', { exact: true })).toBeVisible();
});

test('into an inbox that checks no signature a fixture goes as saved: re-signing is not offered, even when picked for another inbox', async ({ page, serve }) => {
  await api(serve, 'inboxes.add', { name: 'svix', dialect: 'standard-webhooks' });
  await api(serve, 'inboxes.add', { name: 'plain', dialect: 'none' });
  const library = await api<{ key: string; dialect: string }[]>(serve, 'fixtures.library');
  await api(serve, 'fixtures.save', { libraryKey: library.find((e) => e.dialect === 'standard-webhooks')!.key });
  await page.goto(serve.ui + '#fixtures');
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  await expect(fire.getByRole('radio', { name: 'An inbox' })).toBeChecked();
  await fire.getByLabel('Signature').selectOption('resign');
  await fire.getByLabel('Inbox', { exact: true }).selectOption({ label: 'plain (none)' });
  await expect(fire.getByLabel('Signature')).toHaveValue('exact');
  await expect(fire.getByRole('option', { name: 'Re-sign (this inbox checks no signature)' })).toBeDisabled();
  await fire.getByRole('button', { name: 'Fire' }).click();
  await expect(fire.getByTestId('replay-delivery')).toContainText('signature unchecked');
  await expect(fire.getByRole('alert')).toHaveCount(0);
});
