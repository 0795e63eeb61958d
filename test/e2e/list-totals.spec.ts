import type { Page } from '@playwright/test';
import { seedActivity, seedAttempts, seedReleases } from '../helpers/seed-rows';
import { test, expect } from './fixtures';
import { addPackage, api } from './helpers';

/** Clicks "Load more" under a list until there is no more to load. */
async function loadAll(page: Page): Promise<void> {
  const more = page.getByRole('button', { name: 'Load more' });
  while ((await more.count()) > 0) {
    await more.click();
    // The button comes back (enabled) once the page is in, or goes with the last one.
    await expect(page.getByRole('button', { name: 'Loading…' })).toHaveCount(0);
  }
}

for (const width of [800, 1400]) {
  test.describe(`at ${width} px`, () => {
    test.use({ viewport: { width, height: 800 } });

    test('an endpoint shows its attempts and messages by their totals, and loading more reaches the oldest', async ({ page, serve }) => {
      const busy = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Busy', url: 'http://127.0.0.1:9/busy', dialect: 'github', events: ['release.published'] });
      const small = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Small', url: 'http://127.0.0.1:9/small', dialect: 'github', events: ['release.published'] });
      seedAttempts(serve.dataDir, busy.id, 6006);
      const { messageIds } = seedAttempts(serve.dataDir, small.id, 250);

      await page.goto(serve.ui);
      await page.getByRole('button', { name: 'Endpoints' }).click();
      const endpoints = page.getByRole('list', { name: 'Endpoints' });
      await endpoints.getByText('Busy', { exact: true }).click();
      await expect(page.getByRole('tab', { name: 'Attempts (6,006)' })).toBeVisible();
      await expect(page.getByRole('tab', { name: 'Messages (6,006)' })).toBeVisible();
      await expect(page.getByText('100 of 6,006 attempts shown')).toBeVisible();
      await page.getByRole('button', { name: 'Load more' }).scrollIntoViewIfNeeded();
      await page.screenshot({ path: test.info().outputPath(`endpoint-totals-${width}.png`) });

      await endpoints.getByText('Small', { exact: true }).click();
      await expect(page.getByRole('tab', { name: 'Attempts (250)' })).toBeVisible();
      const attempts = page.getByRole('table', { name: 'Attempts' }).locator(':scope > tbody > tr:not(.expanded)');
      await expect(attempts).toHaveCount(100);
      await loadAll(page);
      await expect(attempts).toHaveCount(250);
      // The oldest attempt is the first message's.
      await expect(attempts.last()).toContainText('msg_seed_0');

      await page.getByRole('tab', { name: 'Messages (250)' }).click();
      const messages = page.getByRole('table', { name: 'Messages' }).locator('tbody > tr');
      await loadAll(page);
      await expect(messages).toHaveCount(messageIds.length);
      await expect(messages.last()).toContainText('msg_seed_0');
      await page.screenshot({ path: test.info().outputPath(`endpoint-messages-${width}.png`), fullPage: true });
    });

    test('the activity feed counts every entry, not a page of them, and loading more reaches the first one', async ({ page, serve }) => {
      seedActivity(serve.dataDir, 640);
      const { total } = await api<{ total: number }>(serve, 'activity.page', { limit: 1, total: true });
      expect(total).toBeGreaterThanOrEqual(640);

      await page.goto(serve.ui);
      await page.getByRole('button', { name: 'Activity', exact: true }).click();
      await expect(page.getByTestId('activity-total')).toHaveText(`${total.toLocaleString('en-US')} entries · live`);
      const feed = page.getByRole('list', { name: 'Activity' }).locator(':scope > li');
      await expect(feed).toHaveCount(100);
      await expect(page.getByText(`100 of ${total.toLocaleString('en-US')} entries shown`)).toBeVisible();
      await page.screenshot({ path: test.info().outputPath(`activity-${width}.png`) });
      await loadAll(page);
      await expect(feed).toHaveCount(total);
      await expect(feed.filter({ hasText: 'entry 0' })).toHaveCount(1);
    });

    test('a package with 1,000 releases lists them windowed, counts them all, and scrolls to the first', async ({ page, serve }) => {
      const pkg = await addPackage(serve);
      seedReleases(serve.dataDir, pkg.id, 1000);

      await page.goto(serve.ui);
      await page.getByRole('list', { name: 'Packages' }).getByText('octo/widgets').click();
      await expect(page.getByTestId('releases-heading')).toHaveText('Releases (1,000)');
      const releases = page.getByRole('table', { name: 'Releases' });
      await expect(releases).toContainText('v1.0.999');
      // Only the rows in view are drawn.
      expect(await releases.locator('.drow:not(.dhead)').count()).toBeLessThan(60);
      await page.screenshot({ path: test.info().outputPath(`releases-${width}.png`) });

      // Scrolling to the end loads older pages as they come into view, down to the first release.
      const oldest = releases.getByText('v1.0.0', { exact: true });
      await expect
        .poll(
          async () => {
            await releases.evaluate((el) => (el.scrollTop = el.scrollHeight));
            return oldest.count();
          },
          { timeout: 30_000 },
        )
        .toBe(1);
      await oldest.click();
      await expect(page.getByRole('table', { name: 'Quality of v1.0.0' })).toBeAttached();
    });
  });
}
