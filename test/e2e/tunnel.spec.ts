import { test, expect } from './fixtures';
import { addPackage, githubHeaders, shoot } from './helpers';
import { startSmee } from './smee';
import { startFakeGitHub } from '../fakes/github';

test('a tunnel is created against a smee server, carries a delivery, and disconnects and reconnects', async ({ page, serve }) => {
  const smee = await startSmee();
  try {
    const pkg = await addPackage(serve);
    const hookId = pkg.hookUrl.split('/hooks/')[1]!;
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Tunnel', exact: true }).click();
    const tunnel = page.getByRole('region', { name: 'Tunnel' });
    await expect(tunnel.getByText('No tunnel yet')).toBeVisible();
    await expect(page.getByRole('region', { name: 'Connections' }).getByText('No connections')).toBeVisible();
    await shoot(page, 'empty-tunnel');

    await tunnel.getByLabel('smee server').fill(smee.url);
    await tunnel.getByRole('button', { name: 'Create a channel' }).click();
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('connected');
    const channel = (await tunnel.getByTestId('tunnel-channel').textContent())!;
    expect(channel.startsWith(smee.url + '/')).toBe(true);
    await expect(tunnel.getByRole('list', { name: 'About this tunnel' })).toBeVisible();
    await expect(tunnel.getByTestId('tunnel-events')).toHaveText('0 taken');

    // A provider posts to the channel; the tunnel takes the event into the receiver.
    const body = JSON.stringify({ zen: 'Through the tunnel.', hook_id: 7, repository: { id: 4242 } });
    const res = await fetch(`${channel}?path=/hooks/${hookId}`, { method: 'POST', body, headers: githubHeaders('ping', body, pkg.secret) });
    expect(res.status).toBe(200);
    await expect(tunnel.getByTestId('tunnel-events')).toHaveText('1 taken');
    await expect(tunnel.getByTestId('tunnel-last-event')).not.toHaveText('never');
    await shoot(page, 'tunnel');

    await tunnel.getByRole('button', { name: 'Disconnect' }).click();
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('disconnected');
    await expect.poll(() => smee.streams()).toBe(0);
    await tunnel.getByRole('button', { name: 'Connect', exact: true }).click();
    await expect(tunnel.getByTestId('tunnel-state')).toHaveText('connected');
    await expect.poll(() => smee.streams()).toBe(1);

    // Off and on again: smee kept nothing meanwhile, so the window is a gap, named with the package at risk and what to do.
    const gap = tunnel.getByTestId('tunnel-gap').first();
    await expect(gap).toContainText('Hookbench was not reading the channel');
    await expect(gap).toContainText('Recent Deliveries: redeliver those sent between');
    await shoot(page, 'tunnel-gaps');

    // The delivery it carried is in the list, marked as having come through the tunnel.
    await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
    await page.getByRole('table', { name: 'Deliveries' }).locator('.drow[data-id="1"]').click();
    await expect(page.locator('.detail-head')).toContainText('via tunnel');
  } finally {
    await smee.close();
  }
});

test('a connection manages a package: added through it, pinged, its provider log read, its secret rotated, caught up, removed', async ({ page, serve }) => {
  test.setTimeout(90_000);
  const gh = await startFakeGitHub();
  try {
    gh.addToken('ghp_good', { login: 'octocat', scopes: ['repo', 'admin:repo_hook'] });
    gh.addRepo('octo/widgets', { id: 4242, admins: ['octocat'] });
    await page.goto(serve.ui);

    // Add the connection on the Tunnel page.
    await page.getByRole('button', { name: 'Tunnel', exact: true }).click();
    const connections = page.getByRole('region', { name: 'Connections' });
    await connections.getByLabel('Token').fill('ghp_good');
    await connections.getByLabel('Server (self-hosted only)').fill(gh.url);
    await connections.getByRole('button', { name: 'Add connection' }).click();
    await expect(connections.getByTestId('connection-added')).toContainText('Connected to github as octocat');
    const table = connections.getByRole('table', { name: 'Connections' });
    await expect(table.locator('tbody tr')).toHaveCount(1);
    await expect(table).toContainText('octocat');
    await expect(table).toContainText('admin:repo_hook');

    // Add a package through it: Hookbench creates the hook upstream.
    await page.getByRole('button', { name: 'Packages', exact: true }).click();
    await page.getByRole('button', { name: 'Add package' }).click();
    const form = page.getByRole('form', { name: 'Add package' });
    await form.getByLabel('Repository', { exact: true }).fill('octo/widgets');
    await form.getByLabel('Hook').selectOption({ label: `Create it through octocat (${gh.url}/api/v3)` });
    await expect(form.getByLabel('Repository id')).toHaveCount(0);
    await form.getByRole('button', { name: 'Add package' }).click();
    await expect(page.getByTestId('created-upstream')).toContainText('Hookbench created the hook on octo/widgets');
    await page.getByRole('button', { name: 'Done' }).click();
    await expect(page.getByRole('list', { name: 'Packages' })).toContainText('active');

    // Ping: asks GitHub, waits for the ping to arrive.
    await page.getByRole('button', { name: 'Ping', exact: true }).click();
    const ping = page.getByRole('status', { name: 'Ping result' });
    await expect(ping).toContainText('arrived, verified', { timeout: 20_000 });

    // The provider's own log, next to what Hookbench received.
    await page.getByRole('button', { name: 'Provider log' }).click();
    const log = page.getByRole('table', { name: 'Provider deliveries' });
    await expect(log.locator('tbody tr').first()).toBeVisible();
    await expect(log).toContainText('ping');
    await expect(log.getByRole('button', { name: /^#\d+$/ }).first()).toBeVisible();
    await shoot(page, 'package-ops');

    // Rotate: the hook is re-created upstream; the new secret is shown once.
    await page.getByRole('button', { name: 'Rotate hook secret' }).click();
    await page.getByRole('button', { name: 'Click again to rotate the hook' }).click();
    const rotated = page.getByRole('region', { name: 'New hook secret' });
    await expect(rotated.getByTestId('rotated-secret')).toHaveText(/^[0-9a-f]{32,}$/);
    await shoot(page, 'package-rotated');
    await rotated.getByRole('button', { name: 'I have copied it' }).click();
    await expect(rotated).toBeHidden();

    // Catch up: a long operation, pending until it answers.
    await page.getByRole('button', { name: 'Catch up' }).click();
    await expect(page.getByRole('status', { name: 'Catch-up result' })).toContainText('Caught up', { timeout: 30_000 });
    await expect(page.getByTestId('package-op-busy')).toHaveCount(0);

    // Removing the package takes its hook off GitHub too.
    await page.getByRole('button', { name: 'Remove package' }).click();
    await page.getByRole('button', { name: 'Click again to remove it and its hook upstream' }).click();
    await expect(page.getByTestId('package-removed')).toHaveText(/^Package octo\/widgets removed; its hook URL now answers 404\. Its hook \d+ was deleted on GitHub\.$/);
    await expect(page.getByRole('list', { name: 'Packages' })).not.toContainText('octo/widgets');
    expect(gh.repo('octo/widgets').hooks).toHaveLength(0);
    await shoot(page, 'package-removed');
  } finally {
    await gh.close();
  }
});
