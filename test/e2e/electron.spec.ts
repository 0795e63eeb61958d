import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { METHOD_NAMES } from '../../src/shared/methods';

const root = join(import.meta.dirname, '../..');

/**
 * Where an Electron binary is, without asking the electron package for it (its index.js
 * starts a download when the binary is missing, and downloads are blocked on some machines).
 */
function electronBinary(): { path: string | null; why: string } {
  const require = createRequire(import.meta.url);
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  const name = existsSync(pathFile) ? readFileSync(pathFile, 'utf8').trim() : null;
  const override = process.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const binary = join(override, name ?? 'electron');
    return existsSync(binary) ? { path: binary, why: '' } : { path: null, why: `ELECTRON_OVERRIDE_DIST_PATH names ${binary}, which does not exist` };
  }
  if (!name) return { path: null, why: `no Electron binary installed (${pathFile} is missing: the download never ran or was blocked on this machine)` };
  const binary = join(pkgDir, 'dist', name);
  return existsSync(binary) ? { path: binary, why: '' } : { path: null, why: `Electron binary ${binary} is missing` };
}

const binary = electronBinary();
if (!binary.path) console.log(`Electron smoke tests skipped: ${binary.why}`);

test.describe('the desktop app', () => {
  test.skip(!binary.path, binary.why);

  let app: ElectronApplication;
  let page: Page;
  let dataDir: string;

  test.beforeAll(async () => {
    expect(existsSync(join(root, 'out/main/index.js')), 'build first: npx electron-vite build').toBe(true);
    dataDir = mkdtempSync(join(tmpdir(), 'hookbench-electron-'));
    // The built renderer, never a dev server someone left in the environment.
    const env = Object.fromEntries(Object.entries(process.env).filter((e): e is [string, string] => e[0] !== 'ELECTRON_RENDERER_URL' && e[1] !== undefined));
    app = await electron.launch({
      executablePath: binary.path!,
      // The app directory: package.json's "main" is out/main/index.js.
      args: [root, ...(process.platform === 'linux' ? ['--no-sandbox'] : [])],
      cwd: root,
      env: { ...env, HOOKBENCH_DATA_DIR: dataDir },
    });
    page = await app.firstWindow();
  });

  test.afterAll(async () => {
    await app?.close();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  test('opens its window over the engine in the given data dir', async () => {
    await expect(page.getByRole('navigation', { name: 'Main' })).toContainText('Packages');
    expect(page.url()).toMatch(/^file:\/\/.*\/out\/renderer\/index\.html(#.*)?$/);
    const info = await page.evaluate(() => (globalThis as unknown as { hookbench: Record<string, (p: unknown) => Promise<unknown>> }).hookbench['server.info']!({}));
    expect(info).toMatchObject({ ok: true, result: { dataDir } });
    await page.screenshot({ path: 'docs/screenshots/electron.png' });
  });

  test('gives the page no Node and no way around the preload', async () => {
    const globals = await page.evaluate(() => {
      const g = globalThis as Record<string, unknown>;
      return { require: typeof g.require, process: typeof g.process, module: typeof g.module, Buffer: typeof g.Buffer, ipcRenderer: typeof g.ipcRenderer };
    });
    expect(globals).toEqual({ require: 'undefined', process: 'undefined', module: 'undefined', Buffer: 'undefined', ipcRenderer: 'undefined' });
  });

  test("exposes exactly the contract's methods and subscribe", async () => {
    const keys = await page.evaluate(() => Object.keys((globalThis as { hookbench?: object }).hookbench ?? {}).sort());
    expect(keys).toEqual([...METHOD_NAMES, 'subscribe'].sort());
    const bad = await page.evaluate(() => (globalThis as unknown as { hookbench: Record<string, (p: unknown) => Promise<unknown>> }).hookbench['deliveries.get']!({ id: 'x' }));
    expect(bad).toMatchObject({ ok: false, error: { code: 'invalid_params' } });
  });

  test('enforces the Content-Security-Policy (no eval)', async () => {
    const result = await page.evaluate(() => {
      try {
        return String((0, eval)('"eval ran"'));
      } catch (error) {
        return (error as Error).name;
      }
    });
    expect(result).toBe('EvalError');
  });

  test('refuses to navigate away or open windows', async () => {
    const before = page.url();
    // Our handler is registered first (web-contents-created), so this one sees its verdict.
    const verdict = app.evaluate(
      ({ BrowserWindow }) =>
        new Promise<{ url: string; prevented: boolean }>((resolve) => {
          BrowserWindow.getAllWindows()[0]!.webContents.once('will-navigate', (event) => resolve({ url: event.url, prevented: event.defaultPrevented }));
        }),
    );
    await page.evaluate(() => {
      location.href = 'https://example.com/';
    });
    expect(await verdict).toEqual({ url: 'https://example.com/', prevented: true });
    expect(page.url()).toBe(before);
    await expect(page.getByRole('navigation', { name: 'Main' })).toBeVisible();

    // window.open is denied (an http: URL, so the OS browser is not opened either).
    expect(await page.evaluate(() => window.open('http://example.com/') === null)).toBe(true);
    expect(app.windows()).toHaveLength(1);
  });
});
