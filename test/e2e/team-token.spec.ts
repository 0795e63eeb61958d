import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test, expect } from '@playwright/test';
import { HOOKBENCH_BIN, startServe } from '../helpers/serve-process';

function createToken(dataDir: string, name: string, role: string): string {
  const out = execFileSync(process.execPath, [HOOKBENCH_BIN, 'token', 'create', '--name', name, '--role', role, '--data-dir', dataDir, '--json'], { encoding: 'utf8' });
  return (JSON.parse(out) as { token: string }).token;
}

test('a shared server asks for a token, keeps it for the tab, and says so when the role is too low', async ({ page }) => {
  const dataDir = mkdtempSync(join(tmpdir(), 'hookbench-e2e-'));
  const viewer = createToken(dataDir, 'vera', 'viewer');
  const serve = await startServe(dataDir, ['--behind-proxy']);
  try {
    expect(serve.ui).not.toContain('token=');
    await page.goto(serve.ui);
    const dialog = page.getByRole('dialog', { name: 'API token' });
    await expect(dialog).toBeVisible();
    await dialog.getByLabel('Token').fill('hbk_wrong');
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await expect(dialog).toContainText('was refused');
    await page.screenshot({ path: test.info().outputPath('token-asked.png') });

    await dialog.getByLabel('Token').fill(viewer);
    await dialog.getByRole('button', { name: 'Use this token' }).click();
    await expect(page.getByRole('dialog', { name: 'API token' })).toHaveCount(0);
    expect(await page.evaluate(() => sessionStorage.getItem('hookbench.token'))).toBe(viewer);

    await page.getByRole('button', { name: 'Add package', exact: true }).click();
    const form = page.getByRole('form', { name: 'Add package' });
    await form.getByPlaceholder('owner/name').fill('octo/widgets');
    await form.getByPlaceholder('123456').fill('42');
    await form.getByRole('button', { name: 'Add package' }).click();
    await expect(form).toContainText("Your token's role does not allow this. The viewer role may not call packages.add");
    await page.screenshot({ path: test.info().outputPath('token-forbidden.png') });
  } finally {
    await serve.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
});
