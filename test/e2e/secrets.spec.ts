import { randomUUID } from 'node:crypto';
import { test, expect } from './fixtures';
import { api, post } from './helpers';

test('a delivery shows its GitLab token hidden until Reveal, and the reveal is in the activity feed', async ({ page, serve }) => {
  const pkg = await api<{ id: string; hookUrl: string; secret: string; signingToken: string }>(serve, 'packages.add', { provider: 'gitlab', repo: 'jsmith/example', repoId: '15' });
  const res = await post(pkg.hookUrl.replace(/^.*\/hooks\//, `${serve.receiver}/hooks/`), JSON.stringify({ object_kind: 'tag_push', ref: 'refs/tags/v1.0.0', project_id: 15 }), {
    'content-type': 'application/json',
    'x-gitlab-event': 'Tag Push Hook',
    'x-gitlab-token': pkg.secret,
    'x-gitlab-event-uuid': randomUUID(),
    'idempotency-key': randomUUID(),
  });
  const { delivery } = (await res.json()) as { delivery: number };

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries' }).click();
  await page.locator(`.drow[data-id="${delivery}"]`).click();
  const headers = page.getByRole('table', { name: 'Request headers' });
  const token = headers.getByRole('row', { name: /x-gitlab-token/ });
  await expect(token).toContainText('(hidden)');
  await expect(page.locator('body')).not.toContainText(pkg.secret);
  await page.screenshot({ path: test.info().outputPath('delivery-hidden.png') });

  await token.getByRole('button', { name: 'Reveal x-gitlab-token' }).click();
  await expect(token).toContainText(pkg.secret);
  await expect(token.getByRole('button')).toHaveCount(0);
  await page.screenshot({ path: test.info().outputPath('delivery-revealed.png') });

  await page.getByRole('button', { name: 'Activity' }).click();
  await expect(page.getByText(`Secret header x-gitlab-token of delivery #${delivery} revealed in the app.`)).toBeVisible();
});

test('an endpoint URL shows its password and token hidden, and saving the form keeps them', async ({ page, serve }) => {
  const url = 'https://relay:pa55-word-xyz@hooks.example.com/in?token=tok-98765&team=a';
  const ep = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Creds', url, dialect: 'privato', events: ['release.published'] });
  const masked = 'https://relay:(hidden)@hooks.example.com/in?token=(hidden)&team=a';
  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Endpoints' }).click();
  await expect(page.getByRole('list', { name: 'Endpoints' })).toContainText('Creds');
  await expect(page.locator('body')).toContainText(masked);
  await page.getByRole('button', { name: 'Edit' }).click();
  const form = page.getByRole('form', { name: 'Edit endpoint' });
  await expect(form.getByLabel('URL')).toHaveValue(masked);
  await expect(form).toContainText('Parts shown as (hidden) are credentials');
  await page.screenshot({ path: test.info().outputPath('endpoint-url-hidden.png') });
  await form.getByLabel('Name').fill('Creds renamed');
  await form.getByRole('button', { name: 'Save changes' }).click();
  await expect(page.getByRole('list', { name: 'Endpoints' })).toContainText('Creds renamed');
  await expect(page.locator('body')).not.toContainText(/pa55-word-xyz|tok-98765/);
  expect((await api<{ url: string }>(serve, 'endpoints.get', { id: ep.id })).url).toBe(masked);
});
