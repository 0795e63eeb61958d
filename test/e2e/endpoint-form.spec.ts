import { test, expect } from './fixtures';
import { addPackage, api, startSink } from './helpers';

const WIDTHS = [800, 1400];

for (const width of WIDTHS) {
  test(`at ${width} px the endpoint form takes everything endpoint add does, previews the body and keeps each problem by its field`, async ({ page, serve }) => {
    const sink = await startSink();
    try {
      const pkg = await addPackage(serve);
      await page.setViewportSize({ width, height: 900 });
      await page.goto(serve.ui);
      await page.getByRole('button', { name: 'Endpoints' }).click();
      await page.getByRole('button', { name: 'Create an endpoint' }).click();
      const form = page.getByRole('form', { name: 'New endpoint' });
      await form.getByLabel('Name').fill('Chat');
      await form.getByLabel('URL').fill(sink.url);

      // Repsy receivers only know their own events: the form says so, and the preview shows the name on the wire.
      await form.getByLabel('Dialect (how requests are signed)').selectOption('repsy');
      await expect(form.getByTestId('event-wire-names')).toContainText('release.published is sent to them as package.deployed');
      await expect(form.getByTestId('body-preview')).toContainText('goes out as package.deployed');

      // A secret the dialect cannot sign with is refused by the engine; the message sits under Secret and
      // belongs to that dialect, so it goes when another dialect is picked.
      await form.getByLabel('Dialect (how requests are signed)').selectOption('standard-webhooks');
      await form.getByLabel(/^Secret/).fill('not base64!');
      await form.getByLabel('Timeout (seconds)').fill('0');
      await form.getByRole('button', { name: 'Create endpoint' }).click();
      await expect(form.getByRole('alert')).toHaveText([/timeout is a number of seconds/]);
      await form.getByLabel('Timeout (seconds)').fill('5');
      await expect(form.getByRole('alert')).toHaveCount(0);
      await form.getByRole('button', { name: 'Create endpoint' }).click();
      const secretProblem = form.locator('#endpoint-secret-problem');
      await expect(secretProblem).toContainText('Not a Standard Webhooks (Svix) secret: whsec_ followed by');
      await form.getByLabel('Dialect (how requests are signed)').selectOption('github');
      await expect(secretProblem).toHaveCount(0);
      await form.getByLabel(/^Secret/).fill('');

      // A template, previewed as it is typed, with its values filled from sample data.
      await form.getByRole('radio', { name: 'My template' }).check();
      const template = form.getByRole('textbox', { name: 'Template' });
      await template.fill('{"text": "{{package.name}} shipped {{release.version}}"}');
      await expect(form.getByTestId('body-preview')).toContainText('{"text": "acme/widget-sdk shipped 1.4.2"}');
      await template.fill('');
      await form.getByRole('button', { name: 'Create endpoint' }).click();
      await expect(form.locator('[role=alert]')).toHaveText([/Write the template/]);
      await template.fill('{"text": "{{event}} {{release.tag}}"}');
      await expect(form.getByRole('alert')).toHaveCount(0);
      await expect(form.getByTestId('body-preview')).toContainText('{"text": "release.published v1.4.2"}');

      await form.getByLabel('Max in flight').fill('2');
      await form.getByLabel("Relay a package's deliveries").selectOption(pkg.id);
      await form.getByRole('radio', { name: /Re-signed/ }).check();
      await page.screenshot({ path: `test-results/endpoint-form-${width}.png`, fullPage: true });
      await form.getByRole('button', { name: 'Create endpoint' }).click();
      await page.getByRole('button', { name: 'I have copied it' }).click();

      const [saved] = await api<{ id: string; timeoutMs: number; maxInFlight: number; relay: unknown; format: string; template: string }[]>(serve, 'endpoints.list');
      expect(saved).toMatchObject({ timeoutMs: 5000, maxInFlight: 2, relay: { packageId: pkg.id, mode: 'resign' }, format: 'template', template: '{"text": "{{event}} {{release.tag}}"}' });

      // The sample goes out as the template rendered it.
      await page.getByRole('button', { name: 'Send sample' }).click();
      await expect.poll(() => sink.received.length).toBe(1);
      expect(sink.received[0]!.body).toBe('{"text": "release.published v1.4.2"}');

      // Editing shows what was saved.
      await page.getByRole('button', { name: 'Edit' }).click();
      const edit = page.getByRole('form', { name: 'Edit endpoint' });
      await expect(edit.getByLabel('Timeout (seconds)')).toHaveValue('5');
      await expect(edit.getByLabel('Max in flight')).toHaveValue('2');
      await expect(edit.getByRole('radio', { name: 'My template' })).toBeChecked();
      await edit.getByRole('button', { name: 'Cancel' }).click();

      // Disabling asks why; the reason is shown on the endpoint.
      await page.getByRole('button', { name: 'Disable…' }).click();
      const disable = page.getByRole('form', { name: 'Disable endpoint' });
      await disable.getByLabel(/Reason/).fill('Chat server moving');
      await disable.getByRole('button', { name: 'Disable' }).click();
      await expect(page.getByText('Disabled: Chat server moving.')).toBeVisible();
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow).toBe(0);
    } finally {
      await sink.close();
    }
  });
}
