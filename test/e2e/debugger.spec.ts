import { createHmac } from 'node:crypto';
import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, tagPush } from './helpers';

test('a developer reads why rejected deliveries failed, then reproduces one in the debugger', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const compact = tagPush(4242, 'v3.1.0');
  // Signed with another secret.
  expect((await post(pkg.hookUrl, compact, githubHeaders('push', compact, 'an old secret'))).status).toBe(403);
  // Signed right, then re-indented on the way (a proxy that parses and re-serializes JSON).
  const pretty = JSON.stringify(JSON.parse(compact), null, 2);
  expect((await post(pkg.hookUrl, pretty, githubHeaders('push', compact, pkg.secret))).status).toBe(403);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  const table = page.getByRole('table', { name: 'Deliveries' });
  await table.locator('.drow[data-id="1"]').click();
  await expect(page.getByTestId('diagnosis-cause')).toHaveText('Wrong secret');
  await expect(page.getByTestId('diagnosis-fix')).toContainText('different secret');

  await table.locator('.drow[data-id="2"]').click();
  await expect(page.getByRole('heading', { name: 'Delivery #2' })).toBeVisible();
  await expect(page.getByTestId('diagnosis-cause')).toHaveText('Body changed after signing (re-serialized JSON)');
  await expect(page.getByTestId('diagnosis-fix')).toBeVisible();
  // Expected and the signed bytes are for the reconstruction that matched, which is named.
  await expect(page.getByTestId('diagnosis-expected')).toHaveText(/^sha256=[0-9a-f]{64}$/);
  await expect(page.getByTestId('diagnosis-received')).toHaveText(await page.getByTestId('diagnosis-expected').innerText());
  await expect(page.getByTestId('signed-bytes')).toContainText('"ref":"refs/tags/v3.1.0"');
  await expect(page.getByTestId('signed-bytes-source')).toContainText('as compact JSON, the reconstruction that matched');
  await page.screenshot({ path: 'test-results/delivery-reconstruction.png', fullPage: true });

  // The same request in the debugger, with its exact bytes.
  await page.getByRole('button', { name: 'Open in debugger' }).click();
  const form = page.getByRole('form', { name: 'Diagnose a signature' });
  await expect(form.getByLabel('Headers')).toHaveValue(/X-Hub-Signature-256: sha256=/i);
  await expect(page.getByTestId('exact-body')).toContainText('from delivery #2');
  await form.getByTestId('use-stored-secret').getByRole('checkbox').uncheck();
  await form.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByTestId('diagnosis-explanation')).toContainText('Give the secret');
  await form.getByLabel('Secrets').fill(`wrong one\n${pkg.secret}`);
  await form.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByTestId('diagnosis-cause')).toHaveText('Body changed after signing (re-serialized JSON)');

  // A header line without a colon is pointed at, not sent.
  await form.getByLabel('Headers').fill('X-GitHub-Event: push\nthis is not a header');
  await form.getByRole('button', { name: 'Diagnose' }).click();
  await expect(form.getByRole('alert')).toHaveText('Line 2 ("this is not a header") has no "Name: value" colon.');
});

test('the calculator signs a body, and its headers verify in the debugger', async ({ page, serve, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Debugger' }).click();
  await page.getByRole('tab', { name: 'Calculator' }).click();
  const form = page.getByRole('form', { name: 'Sign a request' });
  await form.getByLabel('Dialect').selectOption('github');
  await form.getByLabel('Event').selectOption('push');
  // GitHub's documented example: this secret and body give this signature.
  await form.getByLabel('Secret').fill("It's a Secret to Everybody");
  await form.getByLabel('Body').fill('Hello, World!');
  await form.getByLabel('URL for cURL').fill('http://127.0.0.1:9000/hooks');
  await form.getByRole('button', { name: 'Sign' }).click();

  const headers = page.getByRole('table', { name: 'Signed headers' });
  const expected = 'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17';
  await expect(headers.getByRole('row', { name: /X-Hub-Signature-256/ })).toContainText(expected);
  await expect(headers.getByRole('row', { name: /X-GitHub-Event/ })).toContainText('push');
  await expect(page.getByTestId('curl')).toContainText(`-H 'X-Hub-Signature-256: ${expected}'`);
  await expect(page.getByTestId('curl')).toContainText("'http://127.0.0.1:9000/hooks'");

  await headers.getByRole('row', { name: /X-Hub-Signature-256/ }).getByRole('button', { name: 'Copy' }).click();
  await expect(headers.getByRole('row', { name: /X-Hub-Signature-256/ }).getByRole('button', { name: 'Copied' })).toBeVisible();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toBe(expected);
  await page.getByRole('button', { name: 'Copy cURL' }).click();
  expect(await page.evaluate(() => navigator.clipboard.readText())).toContain('curl -X POST');

  // Paste the headers into the diagnose tab: valid for that secret.
  await page.getByRole('button', { name: 'Copy all' }).click();
  const copied = await page.evaluate(() => navigator.clipboard.readText());
  await page.getByRole('tab', { name: 'Why does it fail?' }).click();
  const diagnose = page.getByRole('form', { name: 'Diagnose a signature' });
  await diagnose.getByLabel('Headers').fill(copied);
  await diagnose.getByLabel('Body').fill('Hello, World!');
  await diagnose.getByLabel('Secrets').fill("It's a Secret to Everybody");
  await diagnose.getByRole('button', { name: 'Diagnose' }).click();
  await expect(page.getByTestId('diagnosis-cause')).toHaveText('Signature is valid');
  await expect(page.getByTestId('signed-bytes')).toHaveText('Hello, World!');
});

test('a SHA-1-only delivery reads "legacy SHA-1 only", and the calculator signs a captured Repsy timestamp as given', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const body = tagPush(4242, 'v3.2.0');
  const { 'x-hub-signature-256': _sha256, ...headers } = githubHeaders('push', body, pkg.secret);
  const legacy = 'sha1=' + createHmac('sha1', pkg.secret).update(body).digest('hex');
  expect((await post(pkg.hookUrl, body, { ...headers, 'x-hub-signature': legacy })).status).toBe(403);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  const signature = page.getByRole('region', { name: 'Signature' });
  await expect(signature.getByText('legacy SHA-1 only')).toBeVisible();
  await expect(page.getByTestId('diagnosis-cause')).toHaveText('Only the legacy SHA-1 signature was sent');
  await expect(page.getByTestId('diagnosis-explanation')).toContainText('it matches this hook\u2019s secret, so the secret is right');
  await page.screenshot({ path: 'test-results/delivery-legacy-sha1.png' });

  await page.getByRole('button', { name: 'Debugger', exact: true }).click();
  await page.getByRole('tab', { name: 'Calculator' }).click();
  const form = page.getByRole('form', { name: 'Sign a request' });
  await form.getByLabel('Dialect').selectOption('repsy');
  await form.getByLabel('Secret').fill(Buffer.from('a repsy key of thirty-two bytes!').toString('base64url'));
  await form.getByLabel('Body').fill('{"event_type":"package.deployed"}');
  await form.getByLabel(/Timestamp/).fill('2026-06-24T10:00:00.001000Z');
  await form.getByRole('button', { name: 'Sign' }).click();
  const signed = page.getByRole('table', { name: 'Signed headers' });
  await expect(signed.getByRole('row', { name: /X-Repsy-Timestamp/ })).toContainText('2026-06-24T10:00:00.001000Z');
  await page.screenshot({ path: 'test-results/calculator-repsy.png' });
});

test('a wrong GitLab token is explained as a comparison, with no signed bytes and no reconstructions', async ({ page, serve }) => {
  const pkg = await api<{ hookUrl: string; secret: string }>(serve, 'packages.add', { provider: 'gitlab', repo: 'jsmith/example', repoId: '15' });
  const res = await post(pkg.hookUrl, '{"object_kind":"tag_push"}', { 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': 'glpat-ABCDEFGHIJKLMNOPQRST' });
  expect(res.status).toBe(403);

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
  await expect(page.getByTestId('diagnosis-explanation')).toContainText('GitLab does not sign this request');
  await expect(page.getByTestId('diagnosis-explanation')).toContainText(`received 26 characters, starting "gl…"; expected ${pkg.secret.length} characters`);
  await expect(page.getByTestId('diagnosis-received')).toHaveText('26 characters, starting "gl…"');
  await expect(page.getByTestId('signed-bytes')).toHaveCount(0);
  await expect(page.getByText(/reconstructions tried/)).toHaveCount(0);
  await expect(page.getByRole('region', { name: 'Signature' })).not.toContainText(pkg.secret);
  await page.screenshot({ path: 'test-results/delivery-gitlab-token.png', fullPage: true });
});
