import { test, expect } from './fixtures';
import { api, startSink } from './helpers';

const WIDTHS = [1400, 800];
const SHOTS = 'test-results/window-polish';

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
