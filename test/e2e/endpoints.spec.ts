import { test, expect } from './fixtures';
import { standardSignature, startSink } from './helpers';

test('a team creates an endpoint, sends a sample, rotates its secret and resends what failed', async ({ page, serve }) => {
  const sink = await startSink();
  try {
    await page.goto(serve.ui);
    await page.getByRole('button', { name: 'Endpoints' }).click();
    await expect(page.getByText('No endpoints yet')).toBeVisible();
    await page.getByRole('button', { name: 'Create an endpoint' }).click();

    const form = page.getByRole('form', { name: 'New endpoint' });
    // The form explains itself before sending anything to the engine.
    await form.getByLabel('URL').fill('localhost:9000');
    await form.getByRole('button', { name: 'Create endpoint' }).click();
    // Each problem sits under its own field; fixing the name takes its message away at once.
    await expect(form.getByRole('alert')).toHaveText(['Give the endpoint a name.', /Enter a full URL/]);
    await form.getByLabel('Name').fill('Release bot');
    await expect(form.getByRole('alert')).toHaveText([/Enter a full URL/]);
    await form.getByLabel('URL').fill(sink.url);
    await form.getByLabel('Dialect (how requests are signed)').selectOption('standard-webhooks');
    await form.getByRole('checkbox', { name: /release\.checks_failed/ }).check();
    await form.getByRole('radio', { name: 'Custom' }).check();
    // No retries: a failure fails the message at once, so "resend failed" has something to do.
    await form.getByLabel('Retry delays').fill('');
    await form.getByRole('button', { name: 'Create endpoint' }).click();

    const shown = page.getByTestId('shown-secret');
    const secret = (await shown.textContent())!;
    expect(secret).toMatch(/^whsec_/);
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(shown).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText(secret);

    const list = page.getByRole('list', { name: 'Endpoints' });
    await expect(list).toContainText('Release bot');
    await expect(list).toContainText('active');

    // Trigger a sample: the attempt appears live, and the sink got a request signed with the secret we were shown.
    await page.getByRole('button', { name: 'Send sample' }).click();
    await expect(page.getByTestId('endpoint-note')).toContainText('Queued a sample release.published');
    const attempts = page.getByRole('table', { name: 'Attempts' });
    const attemptRows = attempts.locator(':scope > tbody > tr:not(.expanded)');
    await expect(attemptRows).toHaveCount(1);
    await expect(attempts).toContainText('200');
    expect(sink.received).toHaveLength(1);
    const first = sink.received[0]!;
    expect(first.headers['webhook-signature']).toBe(
      standardSignature(secret, first.headers['webhook-id']!, first.headers['webhook-timestamp']!, first.body),
    );
    await expect(list).toContainText('100% ok');

    // Rotate: a new secret, shown once, different from the first; the next message is signed with both.
    await page.getByRole('button', { name: 'Rotate secret' }).click();
    await page.getByRole('button', { name: 'Click again to rotate' }).click();
    await expect(page.getByRole('region', { name: 'Secret shown once' })).toContainText('Secret rotated');
    const rotated = (await shown.textContent())!;
    expect(rotated).toMatch(/^whsec_/);
    expect(rotated).not.toBe(secret);
    await expect(page.getByRole('region', { name: 'Secret shown once' })).toContainText('previous secret keeps signing');
    await page.getByRole('button', { name: 'I have copied it' }).click();
    await expect(shown).toHaveCount(0);
    await expect(page.locator('body')).not.toContainText(rotated);
    await expect(page.getByText(/previous secret valid until/)).toBeVisible();

    // The receiver breaks: the attempt shows what it answered.
    sink.answer(500, '{"error":"database is down"}');
    await page.getByRole('button', { name: 'Send sample' }).click();
    await expect(attemptRows).toHaveCount(2);
    await expect(attemptRows.first()).toContainText('500');
    await expect(attemptRows.first()).toContainText('database is down');
    const second = sink.received[1]!;
    const signatures = second.headers['webhook-signature']!.split(' ');
    expect(signatures).toContain(standardSignature(rotated, second.headers['webhook-id']!, second.headers['webhook-timestamp']!, second.body));
    expect(signatures).toContain(standardSignature(secret, second.headers['webhook-id']!, second.headers['webhook-timestamp']!, second.body));
    await attemptRows.first().click();
    await expect(page.getByTestId('response-body')).toHaveText('{"error":"database is down"}');
    // The request side shows the very bytes the receiver got, not a re-rendering.
    const sentBody = page.locator('.attempt-detail').getByRole('region', { name: 'Body' });
    await sentBody.getByRole('tab', { name: 'Raw' }).click();
    await expect(sentBody.getByTestId('body')).toHaveText(second.body);

    // Fixed again: resend everything that failed since an hour ago.
    sink.answer(200, '{"ok":true}');
    await expect(page.getByRole('region', { name: 'Endpoint statistics' })).toContainText('50%');
    await page.getByRole('button', { name: 'Resend failed' }).click();
    await expect(page.getByTestId('endpoint-note')).toHaveText('Queued 1 failed message again.');
    await expect(attemptRows).toHaveCount(3);
    await expect(attemptRows.first()).toContainText('200');

    // One message by hand, from its row.
    await attemptRows.first().getByRole('button', { name: 'Resend' }).click();
    await expect(page.getByTestId('endpoint-note')).toContainText('again.');
    await expect(attemptRows).toHaveCount(4);

    // The chart has drawn bars for successes and the failure.
    const chart = page.getByRole('figure', { name: 'Success and latency over time' });
    await expect(chart.locator('rect.bar-ok').first()).toBeVisible();
    await expect(chart.locator('rect.bar-bad[data-failed="1"]')).toHaveCount(1);

    // Disable and enable.
    await page.getByRole('button', { name: 'Disable…' }).click();
    await page.getByRole('form', { name: 'Disable endpoint' }).getByRole('button', { name: 'Disable' }).click();
    await expect(list).toContainText('disabled');
    await expect(page.getByRole('status').filter({ hasText: 'Disabled' }).first()).toBeVisible();
    await page.getByRole('button', { name: 'Enable' }).click();
    await expect(list).toContainText('active');

    // Edit keeps what was there and saves what changed.
    await page.getByRole('button', { name: 'Edit' }).click();
    const edit = page.getByRole('form', { name: 'Edit endpoint' });
    await expect(edit.getByLabel('Name')).toHaveValue('Release bot');
    await edit.getByLabel('Name').fill('Release relay');
    await edit.getByRole('button', { name: 'Save changes' }).click();
    await expect(list).toContainText('Release relay');
  } finally {
    await sink.close();
  }
});
