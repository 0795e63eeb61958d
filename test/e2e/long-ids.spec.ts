import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { test, expect } from '@playwright/test';
import { runCli, startServe } from '../helpers/serve-process';

// Past a million deliveries an id has seven digits, and a big store reaches eight.
for (const width of [800, 1400]) {
  test(`a delivery id of eight digits reads whole in the list at ${width} px`, async ({ page }) => {
    const dir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
    try {
      const bundle = join(dir, 'in.bundle');
      const record = JSON.stringify({ kind: 'delivery', receivedAt: Date.now(), event: 'push', headers: [['X-GitHub-Event', 'push']], bodyBase64: 'e30=' });
      writeFileSync(bundle, [JSON.stringify({ format: 'hookbench-bundle', version: 1 }), record].join('\n'));
      expect((await runCli(['import', bundle, '--data-dir', dir])).code).toBe(0);
      const db = new Database(join(dir, 'hookbench.sqlite'));
      db.prepare('UPDATE deliveries SET id = 12345678 WHERE id = 1').run();
      db.close();

      const serve = await startServe(dir);
      try {
        await page.setViewportSize({ width, height: 800 });
        await page.goto(`${serve.ui}#deliveries`);
        const id = page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="12345678"] > .num').first();
        await expect(id).toHaveText('12345678');
        // Shown whole, not cut to "1234…".
        expect(await id.evaluate((el) => el.scrollWidth <= el.clientWidth)).toBe(true);
      } finally {
        await serve.stop();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
}
