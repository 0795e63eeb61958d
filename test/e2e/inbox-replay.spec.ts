import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { test, expect } from './fixtures';
import { api, standardSignature } from './helpers';

/** A local service that records method, path and body. */
async function recorder() {
  const got: { method: string; path: string; body: string }[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      got.push({ method: req.method ?? '', path: req.url ?? '', body: Buffer.concat(chunks).toString() });
      res.end('ok');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, got, close: () => new Promise<void>((r) => server.close(() => r())) };
}

test('a capture replayed from the window keeps its method and path: back into its inbox, and to a URL', async ({ page, serve }) => {
  const inbox = await api<{ id: string; url: string; secret: string }>(serve, 'inboxes.add', { name: 'svix', dialect: 'standard-webhooks' });
  const body = '{"type":"invoice.paid"}';
  const id = 'msg_' + randomUUID();
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(`${inbox.url}/billing/events?v=2`, {
    method: 'PUT',
    body,
    headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': standardSignature(inbox.secret, id, ts, body) },
  });
  expect(res.status).toBe(200);
  const sink = await recorder();
  try {
    await page.goto(serve.ui + '#inboxes');
    const table = page.getByRole('table', { name: 'Deliveries' });
    await table.locator('.drow[data-id="1"]').click();
    await page.getByRole('button', { name: 'Replay…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Replay delivery #1' });
    await expect(dialog.getByRole('radio', { name: 'This Hookbench' })).toBeChecked();
    await expect(dialog.getByLabel('Hook', { exact: true })).toHaveValue('');
    await expect(dialog.getByLabel('Hook', { exact: true }).locator('option:checked')).toHaveText('The original inbox (svix)');
    await expect(dialog.getByTestId('replay-target')).toHaveText(`PUT hookbench:/in/${inbox.id}/billing/events?v=2`);

    // Re-signed with the inbox's own secret (a fresh timestamp), a new id: a new, valid capture.
    await dialog.getByRole('tab', { name: 'Re-signed' }).click();
    await dialog.getByRole('radio', { name: 'Mint a new one' }).check();
    await expect(dialog.getByLabel('Dialect')).toContainText("The inbox's own (standard-webhooks)");
    await dialog.getByRole('button', { name: 'Send replay' }).click();
    const landed = dialog.getByRole('region', { name: 'Replay result' }).getByTestId('replay-delivery');
    await expect(landed).toContainText('delivery #2');
    await expect(landed).toContainText('signature valid');
    const second = await api<{ method: string; path: string; hookId: string; source: string }>(serve, 'deliveries.get', { id: 2 });
    expect(second).toMatchObject({ method: 'PUT', path: '/billing/events?v=2', hookId: inbox.id, source: 'replay' });

    // Exact to a URL: its method, its path and query after the URL's own.
    await dialog.getByRole('tab', { name: 'Exact' }).click();
    await dialog.getByRole('radio', { name: 'A URL' }).check();
    await dialog.getByRole('textbox', { name: 'URL' }).fill(`${sink.url}/local`);
    await expect(dialog.getByTestId('replay-target')).toHaveText(`PUT ${sink.url}/local/billing/events?v=2`);
    await dialog.getByRole('button', { name: 'Send replay' }).click();
    await expect.poll(() => sink.got.length).toBe(1);
    expect(sink.got[0]).toEqual({ method: 'PUT', path: '/local/billing/events?v=2', body });
  } finally {
    await sink.close();
  }
});
