import { test, expect } from './fixtures';
import { addPackage, githubHeaders, inParallel, post, tagPush } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px clearing a search paints the full list at once from what was shown before, then brings in what arrived meanwhile`, async ({ page, serve }) => {
    const pkg = await addPackage(serve);
    await inParallel(30, 6, async (i) => {
      const body = tagPush(4242, `v1.0.${i}`);
      await post(pkg.hookUrl, body, githubHeaders('push', body, pkg.secret));
    });
    await page.setViewportSize({ width, height: 900 });
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Deliveries' }).click();
    const table = page.getByRole('table', { name: 'Deliveries' });
    await expect(page.getByTestId('delivery-count')).toHaveText('30 deliveries');
    const search = page.getByLabel('Search deliveries');
    await search.fill('v1.0.7');
    await search.press('Enter');
    await expect(page.getByTestId('delivery-count')).toHaveText('1 delivery');

    // One more arrives while the search is on: it is not among the rows remembered for the full list.
    const late = tagPush(4242, 'v2.0.0');
    await post(pkg.hookUrl, late, githubHeaders('push', late, pkg.secret));

    // From the Enter that clears it, the list never shows placeholders or an empty table, nor "counting…".
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { seen: string[] }).seen = seen;
      new MutationObserver(() => {
        const list = document.querySelector('[role="table"][aria-label="Deliveries"]');
        if (!list || list.querySelector('.placeholder') || !list.querySelector('.drow[data-id]')) seen.push('empty');
        if (document.querySelector('[data-testid="delivery-count"]')?.textContent?.includes('counting')) seen.push('counting');
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await search.fill('');
    await search.press('Enter');
    await expect(page.getByTestId('delivery-count')).toHaveText('31 deliveries');
    await expect(table.locator('.drow[data-id]').first()).toHaveAttribute('data-id', '31');
    expect(await page.evaluate(() => (window as unknown as { seen: string[] }).seen)).toEqual([]);
  });
}
