import pg from 'pg';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { DeliveryDetail, DeliverySummary, ImportResult } from '../../src/shared/types';
import { IMPORT_LOOKUPS } from '../../src/main/engine/replay/import-statements';
import { pgTransferSql } from '../../src/main/engine/replay/pg-transfer-statements';
import { BUNDLE_HEADER, bundleDelivery } from '../helpers/bundle-file';
import { startEngine } from '../helpers/engine';
import { ENGINE_KINDS, engineSites, type SiteEngine } from '../helpers/engine-sites';

const records = [bundleDelivery(1), bundleDelivery(2, 5000), bundleDelivery(3, 0)];
const bodyOf = (r: Record<string, unknown>) => Buffer.from(r.bodyBase64 as string, 'base64').toString();

/** Imports a file of this text, as the window and `hookbench import` send one. */
const importFile = (engine: SiteEngine, text: string) => engine.invoke('import.upload', { name: 'import.json', contentBase64: Buffer.from(text).toString('base64') }) as Promise<ImportResult>;

async function importedBodies(engine: SiteEngine): Promise<string[]> {
  const listed = ((await engine.invoke('deliveries.list', {})) as DeliverySummary[]).reverse();
  const details = await Promise.all(listed.map((d) => engine.invoke('deliveries.get', { id: d.id }) as Promise<DeliveryDetail>));
  return details.map((d) => Buffer.from(d.bodyBase64, 'base64').toString());
}

const startSite = engineSites();

// Every behaviour on both stores: the desktop's SQLite data dir and a team server's PostgreSQL database.
describe.each(ENGINE_KINDS)('%s store', (kind) => {
  describe('import file layouts', () => {
    const layouts: [string, string][] = [
      ['one record per line', [BUNDLE_HEADER, ...records].map((r) => JSON.stringify(r)).join('\n') + '\n'],
      ['every record on one line', [BUNDLE_HEADER, ...records].map((r) => JSON.stringify(r)).join(' ')],
      ['one JSON array', JSON.stringify([BUNDLE_HEADER, ...records])],
      ['pretty-printed', [BUNDLE_HEADER, ...records].map((r) => JSON.stringify(r, null, 2)).join('\n')],
    ];
    for (const [layout, text] of layouts) {
      it(`reads a bundle written as ${layout}`, async () => {
        const { engine } = await startSite(kind);
        expect(await importFile(engine, text)).toEqual({ format: 'bundle', deliveries: 3, fixtures: 0 });
        expect(await importedBodies(engine)).toEqual(records.map(bodyOf));
      });
    }

    it('names the record and where it starts when one on a shared line is wrong, importing nothing', async () => {
      const { engine } = await startSite(kind);
      const bad = { ...bundleDelivery(9), statusCode: 1000 };
      const text = [BUNDLE_HEADER, records[0]!, bad].map((r) => JSON.stringify(r)).join(' ');
      const column = text.indexOf('{', text.indexOf(JSON.stringify(records[0])) + 1 + JSON.stringify(records[0]).length - 1) + 1;
      await expect(importFile(engine, text)).rejects.toThrow(`record 2 (line 1, column ${column}): statusCode: must be an HTTP status`);
      await expect(importFile(engine, text.slice(0, -40))).rejects.toThrow(/is not valid JSON \(line 1, column \d+: a string is not closed before the file ends\); nothing was imported/);
      await expect(importFile(engine, '{"format":"hookbench-bundle","version":1} [1]')).rejects.toThrow(/record 1 \(line 1, column 43\): \(top level\): .*expected object/);
      await expect(importFile(engine, '"just a string"')).rejects.toThrow(/is neither a HAR file nor a Hookbench bundle/);
      expect(await engine.invoke('deliveries.count', {})).toEqual({ count: 0 });
    });
  });

  describe('importing records stored already', () => {
    it('adds only what is new: a record held twice in a file is stored twice, once', async () => {
      const { engine } = await startSite(kind);
      const bundle = (...rs: Record<string, unknown>[]) => [BUNDLE_HEADER, ...rs].map((r) => JSON.stringify(r)).join('\n');
      const [a, b, c] = records as [Record<string, unknown>, Record<string, unknown>, Record<string, unknown>];
      expect(await importFile(engine, bundle(a, a, b))).toEqual({ format: 'bundle', deliveries: 3, fixtures: 0 });
      expect(await importFile(engine, bundle(a, a, b))).toEqual({ format: 'bundle', deliveries: 0, fixtures: 0, alreadyStored: 3 });
      // A later export holding more: a third copy of a, and c.
      expect(await importFile(engine, bundle(b, a, a, a, c))).toEqual({ format: 'bundle', deliveries: 2, fixtures: 0, alreadyStored: 3 });
      expect((await importedBodies(engine)).sort()).toEqual([a, a, b, a, c].map(bodyOf).sort());
    });
  });
});

// SQLite's query planner: how a data dir's import finds stored records.
describe('import lookups on a data dir', () => {
  it('looks records up through indexes, never by reading every delivery', async () => {
    const { engine } = await startEngine();
    const plan = (sql: string) =>
      (
        engine.db.$client.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(
          ...sql
            .split('?')
            .slice(1)
            .map(() => 'x'),
        ) as { detail: string }[]
      )
        .map((r) => r.detail)
        .join('\n');
    expect(plan(IMPORT_LOOKUPS.byKey)).toMatch(/^SEARCH deliveries USING COVERING INDEX deliveries_import_key \(import_key=\?\)$/);
    expect(plan(IMPORT_LOOKUPS.firstCopy)).toMatch(/^SEARCH deliveries USING INDEX deliveries_provider_id_unique \(hook_id=\? AND provider_delivery_id=\?\)$/);
  });
});

// PostgreSQL's planner: the same lookups of a team server's import, through the same indexes.
describe('import lookups on a team database', () => {
  it('looks records up through indexes, never by reading every delivery', async () => {
    const { place } = await startSite('postgres');
    const client = new pg.Client({ connectionString: (place as { databaseUrl: string }).databaseUrl });
    await client.connect();
    onTestFinished(() => client.end());
    // An empty table is cheaper to read whole: the planner is told to use an index wherever one answers.
    await client.query('SET enable_seqscan = off');
    const plan = async (statement: { text: string }, ...values: string[]) => {
      const text = statement.text.replace(/\$(\d+)(::\w+)?/g, (_, n: string) => `'${values[Number(n) - 1]}'`);
      const rows = (await client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${text}`)).rows;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };
    const byKey = await plan(pgTransferSql.isStored, 'x');
    expect(byKey).toMatch(/Index (Only )?Scan using deliveries_import_key on deliveries/);
    const firstCopy = await plan(pgTransferSql.firstCopy, 'hk', 'x');
    expect(firstCopy).toMatch(/Index Scan using deliveries_provider_id_unique on deliveries/);
    for (const read of [byKey, firstCopy]) expect(read).not.toMatch(/Seq Scan/);
  });
});
