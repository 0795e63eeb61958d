import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, expect } from '@playwright/test';
import { describe, it, onTestFinished } from 'vitest';
import { createEngine } from '../../src/main/engine';
import { createControlServer } from '../../src/main/engine/control/http-server';
import { tempDataDir } from '../helpers/data-dir';
import { CHROMIUM } from '../../playwright.config';

/**
 * On a team server, another instance's event too large for NOTIFY arrives as a `reload` notice.
 * Here the other instance is a second engine on the same data dir, whose events never reach the
 * window; the notice is put on the window's engine bus as the bridge puts it there.
 */
describe('a window on a team server', () => {
  it('reads again what another instance changed when a reload notice arrives', async () => {
    const uiDir = join(process.cwd(), 'out/renderer');
    if (!existsSync(join(uiDir, 'index.html'))) throw new Error('out/renderer is missing: run "npm run build" first.');
    const dataDir = tempDataDir();
    const shown = createEngine({ dataDir });
    onTestFinished(() => shown.close());
    const control = createControlServer({ invoke: shown.invoke, bus: shown.bus, uiDir });
    onTestFinished(() => control.close());
    const { uiUrl } = await control.listen({ port: 0 });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-gpu'] });
    onTestFinished(() => browser.close());
    const page = await browser.newPage();
    await page.goto(uiUrl);
    await expect(page.getByText('No packages yet')).toBeVisible();
    await expect(page.locator('.live-live')).toBeVisible();

    const other = createEngine({ dataDir });
    await other.invoke('packages.add', { provider: 'github', repo: 'octo/elsewhere', repoId: '77' });
    await other.close();
    shown.bus.publishFromPeer({ type: 'reload', of: 'packages' });
    await expect(page.getByRole('list', { name: 'Packages' })).toContainText('octo/elsewhere');
  });
});
