import type { Page } from '@playwright/test';
import { standardSignature } from './helpers';

/** One Standard Webhooks request with a given event id; answers the status the inbox gave. */
export async function sendStandardWebhook(url: string, secret: string, id: string, body = '{"type":"invoice.paid"}'): Promise<number> {
  const ts = String(Math.floor(Date.now() / 1000));
  const res = await fetch(url, { method: 'POST', body, headers: { 'content-type': 'application/json', 'webhook-id': id, 'webhook-timestamp': ts, 'webhook-signature': standardSignature(secret, id, ts, body) } });
  await res.arrayBuffer();
  return res.status;
}

/** Panes and cards wider than the room they have, by class name: empty when nothing overflows. */
export const overflowingCards = (page: Page) =>
  page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.main-pane, .list-pane, .card')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className));
