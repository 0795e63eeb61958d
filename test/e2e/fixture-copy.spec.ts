import { createHmac } from 'node:crypto';
import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, tagPush } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px a fixture is copied with its body, headers and event edited, the signature preview following the typing`, async ({ page, serve }) => {
    const pkg = await addPackage(serve);
    const body = tagPush(4242, 'v3.0.0');
    expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
    await api(serve, 'fixtures.save', { ref: 'delivery:1', name: 'Tag push' });

    await page.setViewportSize({ width, height: 900 });
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Fixtures', exact: true }).click();
    await page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button', { name: /Tag push/ }).click();
    await page.getByRole('button', { name: 'Edit a copy' }).click();
    const editor = page.getByRole('region', { name: 'Edit a copy' });
    const preview = editor.getByTestId('replay-preview');
    const signatureRow = preview.getByRole('row', { name: /x-hub-signature-256/i });
    const sign = (text: string) => 'sha256=' + createHmac('sha256', pkg.secret).update(text).digest('hex');
    await expect(signatureRow).toContainText(sign(body));

    // The body changes: the preview signs the new bytes with the package's secret, without showing it.
    const edited = body.replace('v3.0.0', 'v3.0.1');
    await editor.getByRole('textbox', { name: /^Body/ }).fill(edited);
    await expect(signatureRow).toContainText(sign(edited));
    await expect(page.locator('body')).not.toContainText(pkg.secret);

    // A new delivery id, so the receiver does not take the copy for the original again; a new event name.
    const headers = editor.getByRole('textbox', { name: /^Headers/ });
    const text = await headers.inputValue();
    await headers.fill(text.replace(/^(x-github-delivery): .*$/im, '$1: copy-0001'));
    await editor.getByLabel('Event', { exact: true }).fill('push');
    await editor.getByLabel('Name', { exact: true }).fill('Tag push 3.0.1');
    await editor.getByRole('button', { name: 'Save the copy' }).click();

    const view = page.getByRole('main');
    await expect(view.getByRole('heading', { name: 'Tag push 3.0.1' })).toBeVisible();
    await expect(view.getByTestId('body')).toContainText('"ref": "refs/tags/v3.0.1"');
    await expect(view.getByRole('table', { name: 'Fixture headers' })).toContainText('copy-0001');
    await expect(page.getByRole('list', { name: 'Saved fixtures' }).getByRole('button')).toHaveCount(2);

    // Fired at the package, the copy is a new tag.
    await page.getByRole('region', { name: 'Fire fixture' }).getByRole('button', { name: 'Fire' }).click();
    await expect(page.getByTestId('replay-delivery')).toContainText('signature valid');
    await expect.poll(async () => (await api<{ tag: string }[]>(serve, 'releases.list', { packageId: pkg.id })).map((r) => r.tag).sort()).toEqual(['v3.0.0', 'v3.0.1']);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
}
