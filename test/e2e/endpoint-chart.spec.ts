import { runCli } from '../helpers/serve-process';
import { test, expect } from './fixtures';
import { api, startSink } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px the endpoint chart draws no line over periods without data, no repeated axis labels, and its stats follow sends from any process`, async ({ page, serve }) => {
    const sink = await startSink();
    try {
      const ep = await api<{ id: string }>(serve, 'endpoints.add', { name: 'Chart', url: sink.url, dialect: 'standard-webhooks', events: ['release.published'] });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(serve.ui);
      await page.getByRole('button', { name: 'Endpoints' }).click();
      const rate = page.getByRole('region', { name: 'Endpoint statistics' }).locator('.tile', { hasText: 'Success rate' });
      await expect(rate).toContainText('no attempts yet');

      // Sent from another process (the CLI beside serve): the tiles and the chart follow without a reload.
      const cli = await runCli(['trigger', '--endpoint', ep.id, '--event', 'release.published', '--data-dir', serve.dataDir]);
      expect(cli.code).toBe(0);
      await expect(rate).toContainText('1 of 1 attempts');
      const chart = page.getByRole('figure', { name: 'Success and latency over time' });
      await expect(chart.locator('rect.bar-ok')).toHaveCount(1);
      // One attempt: the count axis reads 0 and 1, not 0, 1, 1.
      await expect(chart.locator('text.axis-count')).toHaveText(['0', '1']);

      // Latency in two periods with an empty one between: two separate lines (here each a lone period: dots, no line).
      await page.route('**/api/endpoints.series', async (route) => {
        const { since, bucketMs } = JSON.parse(route.request().postData() ?? '{}') as { since: number; bucketMs: number };
        const point = (i: number, ms: number) => ({ t: since + i * bucketMs, attempts: 1, succeeded: 1, p50Ms: ms, p99Ms: ms });
        await route.fulfill({ json: { result: [point(1, 40), point(2, 60), point(5, 30), point(6, 50)] } });
      });
      await runCli(['trigger', '--endpoint', ep.id, '--event', 'release.published', '--data-dir', serve.dataDir]);
      await expect(rate).toContainText('2 of 2 attempts');
      await expect(chart.locator('polyline.line-p50')).toHaveCount(2);
      await expect(chart.locator('polyline.line-p99')).toHaveCount(2);
      const axis = await chart.locator('text.axis-count').allTextContents();
      expect(new Set(axis).size).toBe(axis.length);
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
    } finally {
      await sink.close();
    }
  });
}
