import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test, expect } from './fixtures';
import { api, shoot } from './helpers';
import { overflowingCards as overflowing, sendStandardWebhook as svix } from './inbox-senders';

test('the Forwarding tab passes each capture on to a local service, filtered by event, and removes a target', async ({ page, serve }) => {
  const got: { method: string; path: string; body: string; signature: string | undefined }[] = [];
  const local = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString(), signature: req.headers['webhook-signature'] as string | undefined });
      res.end('thanks');
    });
  });
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve));
  const target = `http://127.0.0.1:${(local.address() as AddressInfo).port}/webhooks`;
  try {
    const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'forwarding', dialect: 'standard-webhooks' });
    await page.goto(serve.ui + '#inboxes');
    await page.getByRole('tab', { name: 'Forwarding' }).click();
    const form = page.getByRole('form', { name: 'Add forward target' });
    await form.getByLabel('Forward to').fill(target);
    await form.getByRole('button', { name: 'Add target' }).click();
    const targets = page.getByRole('table', { name: 'Forward targets' });
    await expect(targets).toContainText(target);
    await expect(targets).toContainText('all');
    for (const width of [1400, 800]) {
      await page.setViewportSize({ width, height: 800 });
      expect(await overflowing(page), `forwarding at ${width}px`).toEqual([]);
      await shoot(page, `inboxes-forward-${width}`);
    }

    const body = '{"type":"invoice.paid","n":1}';
    expect(await svix(inbox.url, inbox.secret, 'msg_f', body)).toBe(200);
    await expect.poll(() => got.length).toBe(1);
    expect(got[0]).toMatchObject({ method: 'POST', path: '/webhooks', body });
    expect(got[0]!.signature).toMatch(/^v1,/);

    // The capture's detail says what the target answered.
    await page.getByRole('tab', { name: 'Captures' }).click();
    await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id]').first().click();
    const results = page.getByRole('table', { name: 'Forward results' });
    await expect(results).toContainText(target);
    await expect(results).toContainText('delivered');
    await expect(results).toContainText('200');
    await page.setViewportSize({ width: 800, height: 800 });
    expect(await overflowing(page), 'forward results at 800px').toEqual([]);
    await results.scrollIntoViewIfNeeded();
    await shoot(page, 'inboxes-forward-results-800');
    await page.getByRole('button', { name: '← All captures' }).click();
    await page.getByRole('tab', { name: 'Forwarding' }).click();

    await targets.getByRole('button', { name: 'Remove' }).click();
    await targets.getByRole('button', { name: 'Stop forwarding?' }).click();
    await expect(page.getByRole('table', { name: 'Forward targets' })).toHaveCount(0);
    expect((await api<{ forwards: unknown[] }>(serve, 'inboxes.get', { id: inbox.id })).forwards).toEqual([]);
  } finally {
    await new Promise<void>((resolve) => local.close(() => resolve()));
  }
});
