import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';

/** Electron fetches its binary on first run; where that never happened there is nothing to launch. */
function electronBinary(): { path: string | null; why: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return { path: null, why: `no Electron binary installed (${pathFile} is missing: the download is blocked on this machine)` };
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  return existsSync(binary) ? { path: binary, why: '' } : { path: null, why: `Electron binary ${binary} is missing` };
}

test('the desktop app opens its window over the engine, locked down', async () => {
  const { path, why } = electronBinary();
  if (!path) console.log(`Electron smoke test skipped: ${why}`);
  test.skip(!path, why);
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-electron-'));
  const app = await electron.launch({
    executablePath: path!,
    args: ['out/main/index.js', '--no-sandbox'],
    env: { ...process.env, HOOKBENCH_DATA_DIR: dataDir },
  });
  try {
    const window = await app.firstWindow();
    await expect(window.getByRole('navigation', { name: 'Main' })).toContainText('Packages');
    expect(await window.evaluate(() => typeof (globalThis as { require?: unknown }).require)).toBe('undefined');
    expect(await window.evaluate(() => Object.keys((globalThis as { hookbench?: object }).hookbench ?? {}).sort())).toContain('packages.list');
    await window.screenshot({ path: 'docs/screenshots/electron.png' });
  } finally {
    await app.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
