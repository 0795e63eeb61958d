import { test, expect } from './fixtures';
import { api, shoot } from './helpers';
import { overflowingCards as overflowing, sendStandardWebhook as svix } from './inbox-senders';

test('the Answer tab makes an inbox fail the first tries of each event, and the Timeline tab shows the retries and what each got', async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'retries', dialect: 'standard-webhooks' });
  await page.goto(serve.ui + '#inboxes');
  await page.getByRole('tab', { name: 'Answer' }).click();
  const form = page.getByRole('form', { name: 'Programmed answer' });
  await expect(form.getByTestId('answer-now')).toHaveText('Now: 200 to every request.');
  await form.getByLabel('Status').fill('503');
  await form.getByLabel('Fail first N tries').fill('2');
  await form.getByLabel('Headers').fill('Retry-After: 1');
  await form.getByRole('button', { name: 'Save answer' }).click();
  await expect(form.getByTestId('answer-now')).toHaveText('Now: 503 to the first 2 tries of each event, then 200.');
  await expect(page.getByRole('list', { name: 'Inboxes' })).toContainText('answers 503');
  for (const width of [1400, 800]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowing(page), `answer at ${width}px`).toEqual([]);
    await shoot(page, `inboxes-answer-${width}`);
  }

  expect([await svix(inbox.url, inbox.secret, 'msg_a'), await svix(inbox.url, inbox.secret, 'msg_a'), await svix(inbox.url, inbox.secret, 'msg_a')]).toEqual([503, 503, 200]);
  expect(await svix(inbox.url, inbox.secret, 'msg_b')).toBe(503);

  await page.getByRole('tab', { name: 'Timeline' }).click();
  const timeline = page.getByRole('region', { name: 'Retry timeline' });
  const a = timeline.getByRole('table', { name: 'Arrivals of msg_a' });
  await expect(a.locator('tbody tr')).toHaveCount(3);
  await expect(a.locator('tbody tr').nth(0)).toContainText('first');
  await expect(a.locator('tbody tr').nth(0)).toContainText('503');
  await expect(a.locator('tbody tr').nth(1)).toContainText(/\+\d+\.\d s/);
  await expect(a.locator('tbody tr').nth(2)).toContainText('200');
  await expect(timeline.getByRole('table', { name: 'Arrivals of msg_b' }).locator('tbody tr')).toHaveCount(1);
  await timeline.getByLabel('Event id').fill('msg_b');
  await expect(timeline.getByRole('table', { name: 'Arrivals of msg_a' })).toHaveCount(0);
  await timeline.getByLabel('Event id').fill('');
  for (const width of [1400, 800]) {
    await page.setViewportSize({ width, height: 800 });
    expect(await overflowing(page), `timeline at ${width}px`).toEqual([]);
    await shoot(page, `inboxes-timeline-${width}`);
  }
  // An arrival opens as a capture.
  await a.getByRole('button', { name: '#3' }).click();
  await expect(page.getByRole('heading', { name: /Delivery #3/ })).toBeVisible();

  // Back to 200 at once.
  await page.getByRole('button', { name: '← All captures' }).click();
  await page.getByRole('tab', { name: 'Answer' }).click();
  await form.getByRole('button', { name: 'Reset to 200 at once' }).click();
  await expect(form.getByTestId('answer-now')).toHaveText('Now: 200 to every request.');
  await expect(page.getByRole('list', { name: 'Inboxes' })).not.toContainText('answers');
  expect(await svix(inbox.url, inbox.secret, 'msg_c')).toBe(200);
});

test('the Secret tab rotates: the new secret is shown once and the old one still verifies during the overlap', async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'rotating', dialect: 'standard-webhooks' });
  await page.goto(serve.ui + '#inboxes');
  await page.getByRole('tab', { name: 'Secret' }).click();
  const form = page.getByRole('form', { name: 'Rotate secret' });
  await form.getByLabel(/Old secret keeps verifying/).fill('1');
  await form.getByRole('button', { name: 'Rotate secret' }).click();
  const fresh = (await page.getByTestId('shown-secret').textContent())!;
  expect(fresh).toMatch(/^whsec_/);
  expect(fresh).not.toBe(inbox.secret);
  await expect(page.getByRole('region', { name: 'Secret shown once' })).toContainText('previous secret');
  await expect(page.getByRole('region', { name: 'Inbox address' })).toContainText('The previous secret still verifies until');
  await page.getByRole('button', { name: 'I have copied it' }).click();

  await svix(inbox.url, inbox.secret, 'msg_old');
  await svix(inbox.url, fresh, 'msg_new');
  await page.getByRole('tab', { name: 'Captures' }).click();
  const table = page.getByRole('table', { name: 'Deliveries' });
  await expect(table.locator('.drow[data-id="1"]')).toContainText('valid');
  await expect(table.locator('.drow[data-id="2"]')).toContainText('valid');
});
