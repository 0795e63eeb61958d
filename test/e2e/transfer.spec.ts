import { readFileSync } from 'node:fs';
import { test, expect } from './fixtures';
import { addPackage, githubHeaders, post, shoot } from './helpers';

interface HarFile {
  log: { version: string; entries: { request: { url: string; headers: { name: string; value: string }[]; postData: { text: string } } }[] };
}

function bundle(count: number, padding = 0): Buffer {
  const lines = [JSON.stringify({ format: 'hookbench-bundle', version: 1 })];
  const start = Date.now() - count * 1000;
  for (let i = 0; i < count; i++) {
    const body = JSON.stringify({ zen: 'Imported.', seq: i, ...(padding ? { pad: 'p'.repeat(padding) } : {}) });
    lines.push(
      JSON.stringify({
        kind: 'delivery',
        receivedAt: start + i * 1000,
        event: 'ping',
        headers: [
          ['content-type', 'application/json'],
          ['x-github-event', 'ping'],
        ],
        bodyBase64: Buffer.from(body).toString('base64'),
      }),
    );
  }
  return Buffer.from(lines.join('\n') + '\n');
}

test('selected deliveries export as HAR and cURL; a bundle imports with progress; a malformed one is refused naming its line', async ({ page, serve }) => {
  const pkg = await addPackage(serve);
  const bodies = [1, 2, 3].map((i) => JSON.stringify({ zen: `Ping number ${i}.`, hook_id: i, repository: { id: 4242 } }));
  const signatures: string[] = [];
  for (const body of bodies) {
    const headers = githubHeaders('ping', body, pkg.secret);
    signatures.push(headers['x-hub-signature-256']!);
    expect((await post(pkg.hookUrl, body, headers)).status).toBe(200);
  }

  await page.goto(serve.ui);
  await page.getByRole('button', { name: 'Deliveries', exact: true }).click();
  await expect(page.getByTestId('delivery-count')).toHaveText('3 deliveries');
  const table = page.getByRole('table', { name: 'Deliveries' });
  await table.locator('.drow[data-id="1"]').click({ modifiers: ['Control'] });
  await table.locator('.drow[data-id="3"]').click({ modifiers: ['Control'] });
  await expect(page.getByTestId('selection')).toContainText('2 selected');
  await expect(table.locator('.drow[data-selected]')).toHaveCount(2);

  // HAR: the two selected, exactly as received.
  await page.getByRole('button', { name: 'Export…' }).click();
  const dialog = page.getByRole('dialog', { name: 'Export deliveries' });
  await expect(dialog.getByRole('radio', { name: 'The selected ones (2)' })).toBeChecked();
  await expect(dialog.getByRole('radio', { name: 'HAR 1.2' })).toBeChecked();
  const [download] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export and download' }).click()]);
  expect(download.suggestedFilename()).toMatch(/^hookbench-.*\.har$/);
  const har = JSON.parse(readFileSync((await download.path())!, 'utf8')) as HarFile;
  expect(har.log.version).toBe('1.2');
  expect(har.log.entries.map((e) => e.request.postData.text)).toEqual([bodies[0], bodies[2]]);
  expect(har.log.entries.map((e) => e.request.headers.find((h) => h.name.toLowerCase() === 'x-hub-signature-256')?.value)).toEqual([signatures[0], signatures[2]]);
  expect(har.log.entries[0]!.request.url).toContain('/hooks/');
  await expect(dialog.getByTestId('export-result')).toContainText('Exported 2 deliveries as HAR 1.2');
  await shoot(page, 'export');

  // cURL: every delivery of the (unfiltered) list.
  await dialog.getByRole('radio', { name: 'Every delivery (3)' }).check();
  await dialog.getByRole('radio', { name: 'cURL commands' }).check();
  const [curl] = await Promise.all([page.waitForEvent('download'), dialog.getByRole('button', { name: 'Export and download' }).click()]);
  const script = readFileSync((await curl.path())!, 'utf8');
  expect(script.match(/^curl -X POST/gm)).toHaveLength(3);
  expect(script).toContain(signatures[1]);
  await page.keyboard.press('Escape');
  await expect(dialog).toBeHidden();
  // Esc closed the dialog only: the list behind kept its selection.
  await expect(page.getByTestId('selection')).toContainText('2 selected');

  // Import a bundle of 1,200: the engine's progress events drive the bar.
  await page.getByRole('button', { name: 'Import…' }).click();
  const imports = page.getByRole('dialog', { name: 'Import deliveries' });
  await imports.getByLabel('File to import').setInputFiles({ name: 'batch.hookbench.jsonl', mimeType: 'application/x-ndjson', buffer: bundle(1200) });
  await expect(imports.getByTestId('import-result')).toHaveText('Imported 1,200 deliveries from batch.hookbench.jsonl (bundle).');
  await expect(imports.getByRole('progressbar', { name: 'Written' })).toHaveText('Written: 1,200 / 1,200');
  await expect(page.getByTestId('delivery-count')).toHaveText('1,203 deliveries');

  // A file far over one call's limit goes in pieces, the whole of it sent before it is written.
  const big = bundle(400, 24_000);
  expect(big.length).toBeGreaterThan(12 * 1024 * 1024);
  await imports.getByLabel('File to import').setInputFiles({ name: 'big.hookbench.jsonl', mimeType: 'application/x-ndjson', buffer: big });
  await expect(imports.getByTestId('import-result')).toHaveText('Imported 400 deliveries from big.hookbench.jsonl (bundle).', { timeout: 30_000 });
  await expect(imports.getByRole('progressbar', { name: 'Sent' })).toHaveText(/^Sent: (\d+(?:\.\d+)? MiB) \/ \1$/);
  await shoot(page, 'import-large');
  await expect(page.getByTestId('delivery-count')).toHaveText('1,603 deliveries');

  // A malformed bundle: refused whole, the error names the file and the line.
  const good = bundle(2).toString('utf8').trimEnd().split('\n');
  const bad = [...good.slice(0, 2), '{"kind":"delivery","receivedAt":"yesterday","headers":[],"bodyBase64":""}', good[2]!].join('\n');
  await imports.getByLabel('File to import').setInputFiles({ name: 'bad.jsonl', mimeType: 'application/x-ndjson', buffer: Buffer.from(bad) });
  const error = imports.getByRole('alert');
  await expect(error).toContainText('bad.jsonl line 3');
  await expect(error).toContainText('receivedAt');
  await expect(error).toContainText('nothing was imported');
  await expect(error).not.toContainText('hookbench-import-');
  await expect(imports.getByTestId('import-result')).toHaveCount(0);
  await shoot(page, 'import-error');
  await imports.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('delivery-count')).toHaveText('1,603 deliveries');

  // Bad JSON in a HAR is refused too, with where it broke.
  await page.getByRole('button', { name: 'Import…' }).click();
  await imports.getByLabel('File to import').setInputFiles({ name: 'broken.har', mimeType: 'application/json', buffer: Buffer.from('{"log": {"version": "1.2", "entries": [\n  {"startedDateTime": }\n]}}') });
  await expect(imports.getByRole('alert')).toContainText('broken.har is not valid JSON');
  await expect(imports.getByRole('alert')).toContainText('line 2');
});
