import { test, expect } from './fixtures';
import { addPackage, api, githubHeaders, post, tagPush } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px "Open in debugger" checks with the package's stored secret, which the window never receives`, async ({ page, serve }) => {
    const pkg = await addPackage(serve);
    const body = tagPush(4242, 'v2.0.0');
    expect((await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret))).status).toBe(202);
    const lab = await api<{ hookUrl: string; secret: string }>(serve, 'packages.add', { provider: 'gitlab', repo: 'group/lab', repoId: '77' });
    // GitLab sends its secret itself as a header: the views show it hidden.
    const labBody = '{"object_kind":"tag_push","ref":"refs/tags/v1.0.0","project":{"id":77}}';
    await post(lab.hookUrl, labBody, { 'content-type': 'application/json', 'x-gitlab-event': 'Tag Push Hook', 'x-gitlab-token': lab.secret });

    const seen: string[] = [];
    page.on('response', async (res) => {
      if (res.url().includes('/api/')) seen.push(await res.text().catch(() => ''));
    });
    await page.setViewportSize({ width, height: 900 });
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await table.locator('.drow[data-id="1"]').click();
    await page.getByRole('button', { name: 'Open in debugger' }).click();
    const form = page.getByRole('form', { name: 'Diagnose a signature' });
    const stored = form.getByTestId('use-stored-secret');
    await expect(stored).toContainText('package octo/widgets');
    await expect(stored.getByRole('checkbox')).toBeChecked();
    await form.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.getByTestId('diagnosis-cause')).toHaveText('Signature is valid');

    // Edited, the same secret finds the change.
    await form.getByLabel('Body').fill(body.replace('v2.0.0', 'v2.0.1'));
    await form.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.getByTestId('diagnosis-cause')).not.toHaveText('Signature is valid');
    await expect(page.getByTestId('diagnosis-cause')).not.toHaveText('No cause found');

    // GitLab: the hidden token header is filled in by the engine from the stored delivery.
    await page.getByRole('button', { name: 'Deliveries' }).click();
    await table.locator('.drow[data-id="2"]').click();
    await page.getByRole('button', { name: 'Open in debugger' }).click();
    await expect(form.getByLabel('Headers')).toHaveValue(/X-Gitlab-Token: \(hidden\)/i);
    await form.getByRole('button', { name: 'Diagnose' }).click();
    await expect(page.getByTestId('diagnosis-cause')).toHaveText('Signature is valid');

    await expect(page.locator('body')).not.toContainText(pkg.secret);
    await expect(page.locator('body')).not.toContainText(lab.secret);
    for (const text of seen) {
      expect(text).not.toContain(pkg.secret);
      expect(text).not.toContain(lab.secret);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBe(0);
  });
}
