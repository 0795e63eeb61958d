import { randomBytes } from 'node:crypto';
import { test, expect } from './fixtures';
import { addPackage, githubHeaders, post } from './helpers';

const XSS = '<img src=x onerror="window.__pwned=1"><script>window.__pwned=2</script><iframe src="javascript:window.__pwned=3"></iframe>';

test('hostile deliveries render as inert text in the list, the headers and every body view', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const send = (body: string | Buffer, extra: Record<string, string> = {}, event = 'ping') =>
    post(pkg.hookUrl, body, githubHeaders(event, body, pkg.secret, extra)).then((r) => r.arrayBuffer());

  // 1: markup in the body, in header values and in the event name shown in the list.
  // …and a right-to-left override that would reorder the text around it ("Trojan Source").
  await send(JSON.stringify({ zen: XSS, hook_id: 1, trojan: 'user\u202e\u2066 // admin', repository: { id: 4242 } }), { 'x-evil': XSS }, `<img src=x onerror="window.__pwned=4">`);
  // 2: one 3 MB line.
  await send(JSON.stringify({ zen: 'x'.repeat(3_000_000), repository: { id: 4242 } }));
  // 3: binary, with NULs and invalid UTF-8.
  await send(Buffer.concat([Buffer.from([0, 1, 2, 0xff, 0xfe, 0x1b]), Buffer.from('<script>window.__pwned=5</script>'), randomBytes(4096)]), { 'content-type': 'application/octet-stream' });
  // 4: three hundred headers full of markup (under the receiver's 16 KiB header cap).
  const many: Record<string, string> = {};
  for (let i = 0; i < 300; i++) many[`x-h-${i}`] = `<b onclick="window.__pwned=6">${i}</b>`;
  await send(JSON.stringify({ zen: 'many headers', repository: { id: 4242 } }), many);
  // 5: form-encoded JSON (GitHub's other content type) carrying markup.
  await send(`payload=${encodeURIComponent(JSON.stringify({ zen: XSS, repository: { id: 4242 } }))}`, { 'content-type': 'application/x-www-form-urlencoded' });

  // Record anything active that appears, and any inline code the CSP had to stop.
  await page.addInitScript(() => {
    const w = window as unknown as { __added: string[]; __violations: string[] };
    w.__added = [];
    w.__violations = [];
    document.addEventListener('securitypolicyviolation', (e) => w.__violations.push(`${e.violatedDirective} ${e.blockedURI}`));
    const observer = new MutationObserver((records) => {
      for (const r of records)
        for (const n of r.addedNodes) {
          if (!(n instanceof Element)) continue;
          for (const el of [n, ...n.querySelectorAll('*')]) {
            if (['IMG', 'SCRIPT', 'IFRAME', 'OBJECT', 'EMBED', 'B'].includes(el.tagName) || [...el.attributes].some((a) => a.name.startsWith('on'))) w.__added.push(el.outerHTML.slice(0, 80));
          }
        }
    });
    // From the moment the page's own markup is parsed: everything after is the app rendering.
    document.addEventListener('DOMContentLoaded', () => observer.observe(document, { childList: true, subtree: true }));
  });
  await page.goto(serve.ui);
  // The detector detects: markup added through innerHTML is seen (then forgotten).
  await page.evaluate(() => {
    const probe = document.createElement('div');
    probe.innerHTML = '<b>probe</b>';
    document.body.append(probe);
  });
  await expect.poll(() => page.evaluate(() => (window as unknown as { __added: string[] }).__added.length)).toBe(1);
  await page.evaluate(() => {
    document.body.lastElementChild?.remove();
    (window as unknown as { __added: string[] }).__added = [];
  });
  await page.getByRole('button', { name: 'Deliveries' }).click();
  const table = page.getByRole('table', { name: 'Deliveries' });
  await expect(table.locator('.drow[data-id]')).toHaveCount(5);
  await expect(table.locator('.drow[data-id="1"]')).toContainText('<img src=x onerror=');

  const detail = page.locator('.detail');
  const inert = async () => {
    expect(await detail.locator('img, script, iframe, object, embed, b').count()).toBe(0);
    expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
    expect(await page.evaluate(() => (window as unknown as { __added: string[] }).__added)).toEqual([]);
    expect(await page.evaluate(() => (window as unknown as { __violations: string[] }).__violations)).toEqual([]);
  };
  const views = async () => {
    for (const view of ['Pretty', 'Raw', 'Hex']) {
      await page.getByRole('tab', { name: view }).click();
      await expect(page.getByRole('tab', { name: view })).toHaveAttribute('aria-selected', 'true');
      await inert();
    }
  };

  await table.locator('.drow[data-id="1"]').click();
  await expect(page.getByRole('table', { name: 'Request headers' })).toContainText(XSS);
  await expect(page.getByTestId('body')).toContainText('<script>window.__pwned=2</script>');
  await expect(page.getByTestId('body')).toContainText('"trojan": "user\\u{202e}\\u{2066} // admin"');
  await views();

  // The long line wraps inside the pane instead of widening it, and only a slice is in the DOM until asked.
  await table.locator('.drow[data-id="2"]').click();
  await expect(page.getByRole('heading', { name: 'Delivery #2' })).toBeVisible();
  await page.getByRole('tab', { name: 'Raw' }).click();
  const body = page.getByTestId('body');
  expect(await body.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  expect((await body.textContent())!.length).toBeLessThan(300_000);
  await page.getByRole('button', { name: /Show the whole body/ }).click();
  await expect.poll(async () => (await body.textContent())!.length).toBeGreaterThan(3_000_000);
  expect(await body.evaluate((el) => el.scrollWidth <= el.clientWidth + 1)).toBe(true);
  expect(await page.evaluate(() => document.documentElement.scrollWidth <= window.innerWidth)).toBe(true);
  await page.screenshot({ path: test.info().outputPath('long-line.png') });
  await inert();

  // Binary: hex by default, control bytes escaped in the raw view.
  await table.locator('.drow[data-id="3"]').click();
  await expect(page.getByRole('tab', { name: 'Hex' })).toHaveAttribute('aria-selected', 'true');
  await expect(body).toContainText('00000000  00 01 02 ff fe 1b 3c 73');
  await page.getByRole('tab', { name: 'Raw' }).click();
  await expect(body).toContainText('\\x00\\x01\\x02');
  await page.getByRole('tab', { name: 'Hex' }).click();
  await page.screenshot({ path: test.info().outputPath('binary.png') });
  await views();

  // Many headers: the first 200, then all on request, still text.
  await table.locator('.drow[data-id="4"]').click();
  const headers = page.getByRole('table', { name: 'Request headers' });
  await expect(headers.locator('tr')).toHaveCount(200);
  await page.getByRole('button', { name: /Show all \d+ headers/ }).click();
  expect(await headers.locator('tr').count()).toBeGreaterThan(300);
  await expect(headers).toContainText('<b onclick="window.__pwned=6">299</b>');
  await page.screenshot({ path: test.info().outputPath('headers.png') });
  await inert();

  // Form-encoded: the pretty view shows the JSON inside `payload`, as text.
  await table.locator('.drow[data-id="5"]').click();
  await page.getByRole('tab', { name: 'Pretty' }).click();
  await expect(body).toContainText('"zen": "<img src=x onerror=\\"window.__pwned=1\\">');
  await views();
});
