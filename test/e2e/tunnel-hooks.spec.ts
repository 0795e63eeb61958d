import { test, expect } from './fixtures';
import { addPackage, api, shoot } from './helpers';
import { startSmee } from './smee';
import { startFakeGitHub } from '../fakes/github';

test('creating, turning off and removing a tunnel shows every hook URL it moves and when it was last connected', async ({ page, serve }) => {
  const smee = await startSmee(200);
  const gh = await startFakeGitHub();
  try {
    gh.addToken('ghp_admin', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
    const conn = await api<{ id: string }>(serve, 'connections.add', { provider: 'github', token: 'ghp_admin', baseUrl: gh.url });
    const managed = await api<{ id: string; hookUrl: string }>(serve, 'packages.addFromConnection', { connectionId: conn.id, repo: 'octo/widgets' });
    const byHand = await addPackage(serve, 'octo/manual', '99');
    const upstreamUrl = () => gh.repo('octo/widgets').hooks[0]!.config.url;
    expect(upstreamUrl()).toBe(managed.hookUrl);

    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Tunnel', exact: true }).click();
    const tunnel = page.getByRole('region', { name: 'Tunnel' });
    await tunnel.getByLabel('smee server').fill(smee.url);
    await tunnel.getByRole('button', { name: 'Create a channel' }).click();
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('connected');
    const channel = (await tunnel.getByTestId('tunnel-channel').textContent())!;
    const changes = tunnel.getByRole('region', { name: 'Hook URLs that changed' });
    await expect(changes.getByRole('heading')).toHaveText('Hook URLs that changed (2): 1 updated upstream, 1 needs you');
    const rows = changes.locator('tbody > tr');
    await expect(rows.filter({ hasText: 'octo/widgets' })).toContainText('updated upstream');
    await expect(rows.filter({ hasText: 'octo/manual' })).toContainText('repaste by hand');
    await expect(rows.filter({ hasText: 'octo/manual' })).toContainText(`→ ${channel}?path=/hooks/${byHand.hookUrl.split('/hooks/')[1]}`);
    expect(upstreamUrl()).toBe(`${channel}?path=/hooks/${managed.hookUrl.split('/hooks/')[1]}`);
    await expect(tunnel.getByTestId('tunnel-connected')).toContainText('since');

    // Turned off: not "never", but when it was last connected and when it went down.
    await tunnel.getByRole('button', { name: 'Disconnect' }).click();
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('disconnected');
    await expect(tunnel.getByTestId('tunnel-connected')).toContainText('not now · last connected');
    await expect(tunnel.getByTestId('tunnel-connected')).toContainText('· disconnected at');
    await expect(tunnel.getByTestId('tunnel-connected')).not.toHaveText('never');
    await expect(tunnel.getByTestId('tunnel-off-note')).toContainText('hook URLs still point at this channel');
    await shoot(page, 'tunnel-disconnected');

    // Removed: back to direct URLs, upstream too.
    await tunnel.getByRole('button', { name: 'Remove tunnel' }).click();
    await tunnel.getByRole('button', { name: 'Click again to remove' }).click();
    await expect(tunnel.getByText('No tunnel yet')).toBeVisible();
    await expect(tunnel.getByRole('list', { name: 'Tunnel removed' })).toContainText('Hook URLs point at the receiver directly again.');
    await expect(rows.filter({ hasText: 'octo/widgets' })).toContainText(`→ ${managed.hookUrl}`);
    await expect(rows.filter({ hasText: 'octo/manual' })).toContainText('repaste by hand');
    expect(upstreamUrl()).toBe(managed.hookUrl);
    await shoot(page, 'tunnel-removed');
  } finally {
    await gh.close();
    await smee.close();
  }
});
