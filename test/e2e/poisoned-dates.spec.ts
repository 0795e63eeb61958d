import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test as base, expect } from '@playwright/test';
import { runCli, startServe } from '../helpers/serve-process';

const test = base;

test('a row whose date cannot be shown says "invalid date" in the list and the detail, and the page keeps working', async ({ page }) => {
  const dir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
  try {
    // Two imported deliveries; the older one then gets a time no Date can hold, as an older build's import stored it.
    const bundle = join(dir, 'in.bundle');
    const record = (n: number) => JSON.stringify({ kind: 'delivery', receivedAt: 1_700_000_000_000 + n, event: `event-${n}`, headers: [['X-GitHub-Event', `event-${n}`]], bodyBase64: 'e30=' });
    writeFileSync(bundle, [JSON.stringify({ format: 'hookbench-bundle', version: 1 }), record(1), record(2)].join('\n'));
    expect((await runCli(['import', bundle, '--data-dir', dir])).code).toBe(0);
    const db = new Database(join(dir, 'hookbench.sqlite'));
    db.prepare('UPDATE deliveries SET received_at = 8640000000000001 WHERE id = 1').run();
    db.close();

    const serve = await startServe(dir);
    try {
      const errors: string[] = [];
      page.on('pageerror', (error) => errors.push(error.message));
      await page.goto(serve.ui);
      await page.getByRole('navigation', { name: 'Main' }).getByRole('button', { name: 'Deliveries' }).click();
      const table = page.getByRole('table', { name: 'Deliveries' });
      await expect(table.locator('.drow[data-id="2"]')).toContainText('event-2');
      const poisoned = table.locator('.drow[data-id="1"]');
      await expect(poisoned).toContainText('invalid date');

      await poisoned.click();
      const detail = page.getByLabel('Delivery 1');
      await expect(detail).toContainText('invalid date · event-1');
      await table.locator('.drow[data-id="2"]').click();
      await expect(page.getByLabel('Delivery 2')).toContainText('event-2');
      expect(errors).toEqual([]);
    } finally {
      await serve.stop();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
