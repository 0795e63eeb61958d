import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDataDir } from '../helpers/data-dir';
import { ENGINE_KINDS, engineSites } from '../helpers/engine-sites';
import { numbers, siteQuery } from '../helpers/site-query';

const HEADER = JSON.stringify({ format: 'hookbench-bundle', version: 1 });
const good = (n: number) => ({ kind: 'delivery', receivedAt: 1_700_000_000_000 + n, event: 'push', providerDeliveryId: `d-${n}`, headers: [['X-GitHub-Event', 'push']], bodyBase64: 'e30=' });

/** A bundle file (outside any data dir) of two good records around the one given. */
function bundle(poisoned: Record<string, unknown>): string {
  const path = join(tempDataDir(), 'poisoned.bundle');
  writeFileSync(path, [HEADER, JSON.stringify(good(1)), JSON.stringify(poisoned), JSON.stringify(good(2))].join('\n') + '\n');
  return path;
}

const startSite = engineSites();

// On both stores: the CLI on a data dir, and through --server on a team server.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('a poisoned import', () => {
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['a time past what a date can hold', { ...good(3), receivedAt: 8640000000000001 }, /line 3: receivedAt: .*before the year 10000/],
      ['a time before 1970', { ...good(3), receivedAt: -1 }, /line 3: receivedAt: /],
      ['a status no HTTP answer has', { ...good(3), statusCode: 1000 }, /line 3: statusCode: must be an HTTP status/],
      ['a header value with a line break', { ...good(3), headers: [['X-A', 'a\r\nX-Injected: 1']] }, /line 3: headers\[0\]\[1\]: a header value must not contain line breaks/],
      ['a header name that is not one', { ...good(3), headers: [['X A', 'b']] }, /line 3: headers\[0\]\[0\]: must be an HTTP header name/],
      ['an event spread over lines', { ...good(3), event: 'push\nrelease' }, /line 3: event: must be one line/],
      ['a fixture in a dialect that does not exist', { kind: 'fixture', name: 'f', dialect: 'nope', headers: [], bodyBase64: '' }, /line 3: dialect: must be one of github/],
    ];
    for (const [what, record, message] of cases) {
      it(`refuses ${what}, naming the line and the field, importing nothing`, async () => {
        const site = await startSite(kind, { workers: false });
        const result = await site.cli('import', bundle(record));
        expect(result.code).toBe(2);
        expect(result.stderr).toMatch(message);
        expect(result.stderr).toContain('nothing was imported');
        const list = await site.cli('delivery', 'list', '--json');
        expect(JSON.parse(list.stdout)).toEqual({ items: [], nextCursor: null });
      });
    }

    it('refuses a HAR entry dated beyond what can be shown, naming the entry', async () => {
      const site = await startSite(kind, { workers: false });
      const path = join(tempDataDir(), 'far.har');
      const entry = (startedDateTime: string) => ({
        startedDateTime,
        request: { method: 'POST', url: 'http://x/hooks/a', headers: [{ name: 'content-type', value: 'application/json' }], postData: { mimeType: 'application/json', text: '{}' } },
      });
      writeFileSync(path, JSON.stringify({ log: { version: '1.2', entries: [entry('2024-01-01T00:00:00.000Z'), entry('+275760-09-13T00:00:00.000Z')] } }));
      const result = await site.cli('import', path);
      expect(result.code).toBe(2);
      expect(result.stderr).toContain('entries[1].startedDateTime: must be an ISO 8601 date between 1970 and 9999');
      const list = await site.cli('delivery', 'list', '--json');
      expect(JSON.parse(list.stdout)).toEqual({ items: [], nextCursor: null });
    });
  });

  describe('a row whose date cannot be shown (already stored by an older build)', () => {
    it('shows as "invalid date" in delivery list, delivery show and the HAR export, and the other rows still list', async () => {
      const site = await startSite(kind, { workers: false });
      const path = join(tempDataDir(), 'ok.bundle');
      writeFileSync(path, [HEADER, JSON.stringify(good(1)), JSON.stringify(good(2))].join('\n') + '\n');
      expect((await site.cli('import', path)).code).toBe(0);
      // The value an older build could store: a time past what a date can hold (both stores' columns take it).
      const query = siteQuery(site.place);
      const [poisonedId] = await numbers(query, 'SELECT min(id) FROM deliveries');
      await query('UPDATE deliveries SET received_at = 8640000000000001 WHERE id = $1', [poisonedId]);

      const list = await site.cli('delivery', 'list');
      expect(list.code, list.stderr).toBe(0);
      expect(list.stdout).toContain('invalid date');
      expect(list.stdout).toContain('2023-11-14T22:13:20.002Z');

      const show = await site.cli('delivery', 'show', String(poisonedId));
      expect(show.code, show.stderr).toBe(0);
      expect(show.stdout).toContain(`Delivery #${poisonedId}  invalid date`);

      const exported = await site.cli('export', '--format', 'har');
      expect(exported.code, exported.stderr).toBe(0);
      const har = JSON.parse(exported.stdout) as { log: { entries: { startedDateTime: string }[] } };
      expect(har.log.entries.map((e) => e.startedDateTime)).toEqual(['invalid date', '2023-11-14T22:13:20.002Z']);

      const curl = await site.cli('export', '--format', 'curl');
      expect(curl.code, curl.stderr).toBe(0);
    });
  });
});
