import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test, expect, tagPush } from './fixtures';
import { addPackage, api, githubHeaders, post, startSink } from './helpers';
import { runCli, type ServeHandle } from '../helpers/serve-process';

const WIDTHS = [1400, 800];
const SHOTS = 'test-results/window-polish';

/** Deliveries from a bundle, with the times and events given, imported beside the running serve. */
async function importDeliveries(serve: ServeHandle, rows: { receivedAt: number; event: string }[]): Promise<void> {
  const bundle = join(serve.dataDir, 'in.bundle');
  const record = (r: { receivedAt: number; event: string }) => JSON.stringify({ kind: 'delivery', receivedAt: r.receivedAt, event: r.event, headers: [['X-GitHub-Event', r.event]], bodyBase64: 'e30=' });
  writeFileSync(bundle, [JSON.stringify({ format: 'hookbench-bundle', version: 1 }), ...rows.map(record)].join('\n'));
  expect((await runCli(['import', bundle, '--data-dir', serve.dataDir])).code).toBe(0);
}

test('a resend from the window is the next attempt, marked manual', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    const ep = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Hand resend', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
    await page.goto(serve.ui + '#endpoints');
    await page.getByRole('button', { name: 'Send sample' }).click();
    const attempts = page.getByRole('table', { name: 'Attempts' });
    const rows = attempts.locator(':scope > tbody > tr:not(.expanded)');
    await expect(rows).toHaveCount(1);
    await rows.first().getByRole('button', { name: 'Resend' }).click();
    await expect(rows).toHaveCount(2);
    await expect(rows.first()).toContainText(/2\s*\(manual\)/);
    await expect(rows.last()).not.toContainText('manual');
    await rows.first().getByRole('button', { name: 'Resend' }).click();
    await expect(rows).toHaveCount(3);
    await expect(rows.first()).toContainText(/3\s*\(manual\)/);
    expect(ep.id).toBeTruthy();
  } finally {
    await sink.close();
  }
});

test('the theme switch picks light, dark or the system’s, and is remembered', async ({ page, serve }) => {
  await page.emulateMedia({ colorScheme: 'light' });
  await page.goto(serve.ui);
  const theme = page.getByRole('radiogroup', { name: 'Theme' });
  const html = page.locator('html');
  await expect(theme.getByRole('radio', { name: 'System theme' })).toHaveAttribute('aria-checked', 'true');
  await expect(html).toHaveAttribute('data-theme', 'light');
  // "System" follows the OS as it changes.
  await page.emulateMedia({ colorScheme: 'dark' });
  await expect(html).toHaveAttribute('data-theme', 'dark');
  await page.emulateMedia({ colorScheme: 'light' });

  await theme.getByRole('radio', { name: 'Dark theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'dark');
  const background = () => page.evaluate(() => getComputedStyle(document.body).backgroundColor);
  expect(await background()).toBe('rgb(18, 19, 22)');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 700 });
    await page.screenshot({ path: `${SHOTS}/theme-dark-${width}.png` });
    // The switch fits beside the pages, even in a narrow window.
    const box = (await page.getByRole('radio', { name: 'Light theme' }).boundingBox())!;
    expect(box.x + box.width).toBeLessThanOrEqual(width);
  }
  await page.reload();
  await expect(page.getByRole('radiogroup', { name: 'Theme' }).getByRole('radio', { name: 'Dark theme' })).toHaveAttribute('aria-checked', 'true');
  await expect(html).toHaveAttribute('data-theme', 'dark');

  // Light holds even when the OS is dark.
  await page.emulateMedia({ colorScheme: 'dark' });
  await page.getByRole('radio', { name: 'Light theme' }).click();
  await expect(html).toHaveAttribute('data-theme', 'light');
  expect(await background()).toBe('rgb(245, 246, 248)');
  await page.reload();
  await expect(html).toHaveAttribute('data-theme', 'light');
});

test('endpoint form help shows code as code, and says what release.published is sent as', async ({ page, serve }) => {
  await page.goto(serve.ui + '#endpoints');
  await page.getByRole('button', { name: 'Create an endpoint' }).click();
  const form = page.getByRole('form', { name: 'New endpoint' });
  const dialect = form.getByLabel('Dialect (how requests are signed)');
  await dialect.selectOption('standard-webhooks');
  await expect(form.locator('code', { hasText: 'whsec_' }).first()).toBeVisible();
  expect(await form.innerText()).not.toContain('`');
  const wire = form.getByTestId('event-wire-names');
  await expect(wire).toContainText('release.published is sent as package.deployed (Repsy) or push of the tag (Sigmagit)');
  await dialect.selectOption('repsy');
  await expect(wire).toContainText('release.published is sent to them as package.deployed');
  await dialect.selectOption('sigmagit');
  await expect(wire).toContainText('release.published is sent to them as push (a push of the tag)');
  for (const name of ['standard-webhooks', 'stripe', 'gitlab', 'slack']) {
    await dialect.selectOption(name);
    expect(await form.innerText(), name).not.toContain('`');
  }
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: `${SHOTS}/endpoint-form-${width}.png`, fullPage: true });
  }
});

test('the deliveries list shows dates of older rows, reasons of rejected ones, open and selected rows apart, and finds events by part of the name', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  await importDeliveries(serve, [
    { receivedAt: Date.UTC(2024, 10, 20, 9, 30), event: 'release' },
    { receivedAt: Date.now() - 40 * 86_400_000, event: 'workflow_run' },
  ]);
  const text = tagPush(4242, 'v1.0.0-with-a-very-long-tag-name-that-goes-on-and-on');
  await (await post(pkg.hookUrl, text, githubHeaders('push', text, 'not the secret'))).arrayBuffer();
  await (await post(pkg.hookUrl, text, githubHeaders('push', text, pkg.secret))).arrayBuffer();

  await page.goto(serve.ui + '#deliveries');
  const table = page.getByRole('table', { name: 'Deliveries' });
  const row = (id: number) => table.locator(`.drow[data-id="${id}"]`);
  await expect(row(4)).toBeVisible();
  // The full date, not cut to "Nov 20 2…".
  const oldTime = row(1).locator('.time');
  await expect(oldTime).toHaveText('Nov 20 2024');
  expect(await oldTime.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  expect(await row(2).locator('.time').evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
  // Why the wrong signature was turned away, in the list.
  await expect(row(3).locator('.outcome-reason')).not.toBeEmpty();
  await expect(row(4).locator('.outcome-reason')).toHaveCount(0);

  // Open one, select two others: the three look different from each other.
  await row(4).click();
  await row(2).click({ modifiers: ['Control'] });
  await row(1).click({ modifiers: ['Control'] });
  const look = (id: number) => row(id).evaluate((el) => { const s = getComputedStyle(el); return `${s.backgroundColor} ${s.boxShadow}`; });
  await page.mouse.move(0, 0);
  expect(await look(4)).not.toBe(await look(1));
  expect(await row(1).locator('span').first().evaluate((el) => getComputedStyle(el, '::before').content)).toContain('✓');
  expect(await row(4).locator('span').first().evaluate((el) => getComputedStyle(el, '::before').content)).toBe('none');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 700 });
    await page.screenshot({ path: `${SHOTS}/deliveries-${width}.png` });
  }

  // Part of an event's name finds it; the list holds new arrivals to the same rule.
  await page.getByLabel('Event').fill('work');
  await page.getByLabel('Event').press('Enter');
  await expect(table.locator('.drow[data-id]')).toHaveCount(1);
  await expect(row(2)).toBeVisible();
  await page.getByLabel('Event').fill('PUS');
  await page.getByLabel('Event').press('Enter');
  await expect(table.locator('.drow[data-id]')).toHaveCount(2);
  await (await post(pkg.hookUrl, text, githubHeaders('push', text, pkg.secret))).arrayBuffer();
  await expect(table.locator('.drow[data-id]')).toHaveCount(3);
});

test('at 800, 1024 and 1400 px the delivery detail is readable and nothing runs off the side', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const tag = 'v2.0.0-rc.1+build.' + 'abcdef0123456789'.repeat(5);
  const text = tagPush(4242, tag);
  const hex = 'f'.repeat(24) + '0123456789abcdef'.repeat(2) + 'e'.repeat(8);
  const longUrl = 'https://ci.example.com/pipelines/' + 'segment/'.repeat(30) + '?token=' + hex;
  await (await post(pkg.hookUrl, text, githubHeaders('push', text, pkg.secret, { 'x-build-url': longUrl, 'x-build-sha': hex }))).arrayBuffer();

  await page.goto(serve.ui + '#deliveries');
  const table = page.getByRole('table', { name: 'Deliveries' });
  await table.locator('.drow[data-id="1"]').click();
  const detail = page.getByLabel('Delivery 1');
  await expect(detail).toContainText(tag);
  for (const width of [1400, 1024, 800]) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `${SHOTS}/delivery-detail-${width}.png` });
    const pane = page.locator('main.main-pane');
    const box = (await pane.boundingBox())!;
    // Wide enough to read: no column of one character per line.
    expect(box.width, `detail pane at ${width}px`).toBeGreaterThanOrEqual(400);
    const packageValue = detail.locator('dd').first();
    expect((await packageValue.boundingBox())!.height, `package value at ${width}px`).toBeLessThan(40);
    // Nothing wider than the window, nor wider than its pane.
    const overflow = await page.evaluate(() => {
      const out: string[] = [];
      if (document.documentElement.scrollWidth > innerWidth) out.push(`page ${document.documentElement.scrollWidth}`);
      for (const el of document.querySelectorAll<HTMLElement>('.main-pane, .list-pane, .card')) {
        if (el.scrollWidth > el.clientWidth + 1) out.push(`${el.className} ${el.scrollWidth} > ${el.clientWidth}`);
      }
      return out;
    });
    expect(overflow, `overflow at ${width}px`).toEqual([]);
  }
  // Every other page at the narrowest width: nothing wider than the window.
  await page.setViewportSize({ width: 800, height: 800 });
  for (const name of ['packages', 'endpoints', 'debugger', 'fixtures', 'tunnel', 'activity']) {
    await page.goto(serve.ui + '#' + name);
    await page.locator('.main-pane, .main-pane.full').first().waitFor();
    await page.screenshot({ path: `${SHOTS}/page-${name}-800.png` });
    const wide = await page.evaluate(() => [...document.querySelectorAll<HTMLElement>('.main-pane, .list-pane, .card')].filter((el) => el.scrollWidth > el.clientWidth + 1).map((el) => el.className));
    expect(wide, name).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth), name).toBeLessThanOrEqual(800);
  }
});

test('a library fixture fires by default at a package of its own provider, and lands there', async ({ page, serve }) => {
  const lab = await api<{ id: string }>(serve, 'packages.add', { provider: 'gitlab', repo: 'group/lab', repoId: '77' });
  const hub = await api<{ id: string }>(serve, 'packages.add', { provider: 'github', repo: 'octo/hub', repoId: '555' });
  const library = await api<{ key: string; dialect: string; event: string; description: string }[]>(serve, 'fixtures.library');
  const githubTag = library.find((e) => e.dialect === 'github' && e.event === 'push' && /refs\/tags\/simple-tag(?! \(deleted)/.test(e.description))!;
  const gitlabEntry = library.find((e) => e.dialect === 'gitlab')!;
  await api(serve, 'fixtures.save', { libraryKey: githubTag.key, name: 'hub tag' });
  await api(serve, 'fixtures.save', { libraryKey: gitlabEntry.key, name: 'lab sample' });

  await page.goto(serve.ui + '#fixtures');
  const saved = page.getByRole('list', { name: 'Saved fixtures' });
  const fire = page.getByRole('region', { name: 'Fire fixture' });
  await saved.getByRole('button', { name: /lab sample/ }).click();
  await expect(fire.getByLabel('Package', { exact: true })).toHaveValue(lab.id);
  await saved.getByRole('button', { name: /hub tag/ }).click();
  await expect(fire.getByLabel('Package', { exact: true })).toHaveValue(hub.id);
  await fire.getByRole('button', { name: 'Fire' }).click();
  const landed = fire.getByTestId('replay-delivery');
  await expect(landed).toContainText('signature valid');
  await expect(landed).not.toContainText('rejected');
  await expect(fire.getByRole('heading', { name: /Replay #1/ })).toContainText('202');
  for (const width of WIDTHS) {
    await page.setViewportSize({ width, height: 800 });
    await page.screenshot({ path: `${SHOTS}/fixtures-fire-${width}.png` });
    // In a narrow pane what was sent and what came back stack, so header values are not cut to a few letters a line.
    const sent = page.locator('.attempt-detail > *').first();
    const sentWidth = (await sent.boundingBox())!.width;
    expect(sentWidth, `sent column at ${width}px`).toBeGreaterThanOrEqual(400);
  }
});
