import { test, expect } from './fixtures';
import { api } from './helpers';

for (const width of [800, 1400]) {
  test(`at ${width} px the open inbox is marked as one item, its address row included`, async ({ page, serve }) => {
    await api(serve, 'inboxes.add', { name: 'payments-with-a-long-name-that-wraps', dialect: 'stripe' });
    await api(serve, 'inboxes.add', { name: 'plain', dialect: 'none' });
    await page.setViewportSize({ width, height: 900 });
    await page.goto(serve.ui + '#inboxes');
    const list = page.getByRole('list', { name: 'Inboxes' });
    await list.getByRole('button', { name: /plain/ }).click();
    const open = list.getByRole('listitem').filter({ has: page.locator('[aria-current="true"]') });
    await expect(open).toHaveCount(1);
    await expect(open).toContainText('plain');
    // The pointer away from the list, so hover paints nothing.
    await page.mouse.move(width - 5, 895);
    // The row with the address and Copy URL is painted as the item it belongs to.
    const paint = await open.evaluate((li) => {
      const url = li.querySelector<HTMLElement>('.inbox-url')!;
      const button = li.querySelector<HTMLElement>('.list-item')!;
      const colour = (el: Element) => getComputedStyle(el).backgroundColor;
      const transparent = (c: string) => c === 'rgba(0, 0, 0, 0)' || c === 'transparent';
      return { item: colour(li), url: transparent(colour(url)), button: transparent(colour(button)) };
    });
    expect(paint.item).not.toMatch(/^(rgba\(0, 0, 0, 0\)|transparent)$/);
    expect(paint).toMatchObject({ url: true, button: true });
    const other = list.getByRole('listitem').filter({ hasText: 'payments' });
    expect(await other.evaluate((li) => getComputedStyle(li).backgroundColor)).not.toBe(paint.item);

    // Hovered, an item is lit whole too: over its name as over its address row, in one colour.
    await other.getByRole('button', { name: /payments/ }).hover();
    const hovered = await other.evaluate((li) => [getComputedStyle(li).backgroundColor, getComputedStyle(li.querySelector('.list-item')!).backgroundColor]);
    expect(hovered[0]).not.toMatch(/^(rgba\(0, 0, 0, 0\)|transparent)$/);
    expect(hovered[1]).toMatch(/^(rgba\(0, 0, 0, 0\)|transparent)$/);
  });
}

test('the inbox forms describe the secret without literal backticks, and an engine refusal quoting it reads the same', async ({ page, serve }) => {
  await api(serve, 'inboxes.add', { name: 'svix', dialect: 'standard-webhooks' });
  await page.setViewportSize({ width: 800, height: 900 });
  await page.goto(serve.ui + '#inboxes');
  await page.getByRole('tab', { name: 'Secret' }).click();
  const form = page.getByTestId('secret-form');
  await expect(form).toContainText('Standard Webhooks (Svix): whsec_ followed by the base64 of the key bytes');
  await expect(form.locator('code')).toHaveText('whsec_');

  await page.getByRole('button', { name: 'Add inbox' }).click();
  const add = page.getByRole('form', { name: 'Add inbox' });
  await add.getByLabel('Name').fill('svix two');
  await add.getByLabel('Dialect').selectOption('standard-webhooks');
  await expect(add).toContainText("Empty: Hookbench makes one in the dialect's own form (whsec_ followed by the base64 of the key bytes");
  await add.getByLabel('Secret (optional)').fill('too-short');
  await add.getByRole('button', { name: 'Add inbox' }).click();
  await expect(add.getByRole('alert')).toContainText('Not a Standard Webhooks (Svix) secret: whsec_ followed by the base64');
  expect(await add.innerText()).not.toContain('`');
});
