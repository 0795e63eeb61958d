import { test, expect } from './fixtures';
import { api } from './helpers';
import { startFakeGitHub } from '../fakes/github';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px a hand-made package says what Ping needs, then gets a connection attached from the window`, async ({ page, serve }) => {
    const gh = await startFakeGitHub();
    try {
      gh.addToken('ghp_admin', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
      gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
      await page.setViewportSize({ width, height: 900 });
      await page.goto(serve.ui);

      // The Add form says where the id is, and what to set at the provider.
      await page.getByRole('button', { name: 'Add package' }).click();
      const form = page.getByRole('form', { name: 'Add package' });
      await form.getByLabel('Repository', { exact: true }).fill('octo/widgets');
      await expect(form.getByTestId('repo-id-hint')).toContainText('https://api.github.com/repos/octo/widgets');
      await form.getByLabel('Repository id').fill('4242');
      await form.getByRole('button', { name: 'Add package' }).click();
      await expect(page.getByTestId('provider-settings')).toContainText('Content type: application/json');
      await expect(page.getByTestId('provider-settings')).toContainText('Just the push event');
      // serve's receiver listens on 127.0.0.1: the provider cannot reach it, and the window says where to go.
      await expect(page.getByTestId('loopback-note')).toContainText('cannot reach it');
      await page.getByTestId('loopback-note').getByRole('button', { name: 'Open a tunnel' }).click();
      await expect(page.getByRole('region', { name: 'Tunnel' })).toBeVisible();
      await page.getByRole('button', { name: 'Packages' }).click();

      // Ping, Catch up and Provider log cannot work without a connection: they are off and say so.
      const ping = page.getByRole('button', { name: 'Ping', exact: true });
      await expect(ping).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Catch up' })).toBeDisabled();
      await expect(page.getByRole('button', { name: 'Provider log' })).toBeDisabled();
      const attach = page.getByTestId('attach-connection');
      await expect(attach).toContainText('need a GitHub connection');
      await expect(attach).toContainText('No GitHub connection yet');

      // A connection appears (from the CLI, another window): the package can take it.
      await api(serve, 'connections.add', { provider: 'github', token: 'ghp_admin', baseUrl: gh.url });
      await page.reload();
      await expect(attach.getByLabel('Connection')).toHaveValue(/.+/);
      await attach.getByRole('button', { name: 'Attach and re-register the hook' }).click();
      await expect(page.getByRole('region', { name: 'New hook secret' })).toBeVisible();
      await expect(attach).toHaveCount(0);
      expect(gh.repo('octo/widgets').hooks).toHaveLength(1);
      await expect(ping).toBeEnabled();
      const [pkg] = await api<{ connectionId: string | null }[]>(serve, 'packages.list');
      expect(pkg!.connectionId).toBeTruthy();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
    } finally {
      await gh.close();
    }
  });
}
