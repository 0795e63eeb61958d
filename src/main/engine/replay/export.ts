import { and, asc, eq, inArray, type SQL } from 'drizzle-orm';
import type { Queryable } from '../db/open';
import { deliveries, fixtures } from '../db/schema';
import { isoTime } from '../../../shared/dates';
import { VERSION } from '../version';
import { INBOX_ID } from './import-records';
import { bodyAsText, redactHeaders } from './redact';

export type DeliveryRow = typeof deliveries.$inferSelect;

export function deliveriesForExport(db: Queryable, filter: { ids?: number[] | undefined; packageId?: string | undefined }): DeliveryRow[] {
  const where: SQL[] = [];
  if (filter.ids?.length) where.push(inArray(deliveries.id, filter.ids));
  if (filter.packageId) where.push(eq(deliveries.packageId, filter.packageId));
  return db.select().from(deliveries).where(and(...where)).orderBy(asc(deliveries.id)).all();
}

const headersOf = (row: { headers: string }) => redactHeaders(JSON.parse(row.headers) as [string, string][]);
const contentTypeOf = (headers: [string, string][]) => headers.find(([k]) => k.toLowerCase() === 'content-type')?.[1] ?? 'application/octet-stream';

/** The request line as received: an inbox capture's own method and path, else a package hook's POST. */
function requestOf(row: DeliveryRow, receiverBase: string): { method: string; url: string } {
  const base = receiverBase.replace(/\/+$/, '');
  return row.method ? { method: row.method, url: `${base}/in/${row.hookId}${row.path ?? ''}` } : { method: 'POST', url: `${base}/hooks/${row.hookId}` };
}

function queryOf(url: string): { name: string; value: string }[] {
  try {
    return [...new URL(url).searchParams].map(([name, value]) => ({ name, value }));
  } catch {
    return [];
  }
}

/** HAR 1.2: one entry per delivery, the request exactly as received (credentials redacted). */
export function toHar(rows: DeliveryRow[], receiverBase: string): unknown {
  return {
    log: {
      version: '1.2',
      creator: { name: 'Hookbench', version: VERSION },
      entries: rows.map((row) => {
        const headers = headersOf(row);
        const body = bodyAsText(row.body);
        const { method, url } = requestOf(row, receiverBase);
        return {
          startedDateTime: isoTime(row.receivedAt),
          time: 0,
          request: {
            method,
            url,
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: headers.map(([name, value]) => ({ name, value })),
            queryString: queryOf(url),
            postData: { mimeType: row.contentType ?? contentTypeOf(headers), text: body.text, ...(body.encoding ? { _encoding: body.encoding } : {}) },
            headersSize: -1,
            bodySize: row.body.length,
          },
          response: {
            status: row.statusCode,
            statusText: '',
            httpVersion: 'HTTP/1.1',
            cookies: [],
            headers: [],
            content: { size: 0, mimeType: 'application/json' },
            redirectURL: '',
            headersSize: -1,
            bodySize: -1,
          },
          cache: {},
          timings: { send: 0, wait: 0, receive: 0 },
          _hookbench: { deliveryId: row.id, source: row.source, verdict: row.verdict, outcome: row.outcome, event: row.event },
        };
      }),
    },
  };
}

/** Bash ANSI-C quoting keeps every byte, newlines and quotes included. */
function ansiC(bytes: Buffer): string {
  let out = "$'";
  for (const b of bytes) {
    if (b === 0x27) out += "\\'";
    else if (b === 0x5c) out += '\\\\';
    else if (b >= 0x20 && b < 0x7f) out += String.fromCharCode(b);
    else out += '\\x' + b.toString(16).padStart(2, '0');
  }
  return out + "'";
}

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export function toCurl(rows: DeliveryRow[], receiverBase: string): string {
  return rows
    .map((row) =>
      [
        `# delivery ${row.id} (${row.event ?? 'no event'}, ${isoTime(row.receivedAt)})`,
        [
          `curl -X ${requestOf(row, receiverBase).method} ${shellQuote(requestOf(row, receiverBase).url)}`,
          ...headersOf(row)
            .filter(([k]) => !['host', 'content-length', 'connection'].includes(k.toLowerCase()))
            .map(([k, v]) => `-H ${shellQuote(`${k}: ${v}`)}`),
          `--data-binary ${ansiC(row.body)}`,
        ].join(' \\\n  '),
      ].join('\n'),
    )
    .join('\n\n') + '\n';
}

export const BUNDLE_FORMAT = 'hookbench-bundle';

export type FixtureRow = typeof fixtures.$inferSelect;

/** A bundle's first line. */
export const bundleHeaderLine = () => JSON.stringify({ format: BUNDLE_FORMAT, version: 1, exportedBy: `Hookbench ${VERSION}`, exportedAt: new Date().toISOString() });

/** A delivery's line in a bundle: everything import needs to store it again, the body as base64. */
export function bundleDeliveryLine(row: DeliveryRow): string {
  return JSON.stringify({
    kind: 'delivery',
    id: row.id,
    receivedAt: row.receivedAt,
    source: row.source,
    event: row.event,
    providerDeliveryId: row.providerDeliveryId,
    contentType: row.contentType,
    statusCode: row.statusCode,
    verdict: row.verdict,
    outcome: row.outcome,
    outcomeReason: row.outcomeReason,
    headers: headersOf(row),
    bodyBase64: row.body.toString('base64'),
    // A capture keeps its request line; the inbox is named when it came from one (an imported
    // capture whose inbox was not there holds its import's mark instead, which names none).
    ...(row.method ? { ...(INBOX_ID.test(row.hookId) ? { inboxId: row.hookId } : {}), method: row.method, path: row.path ?? '' } : {}),
  });
}

export function bundleFixtureLine(f: FixtureRow): string {
  return JSON.stringify({
    kind: 'fixture',
    name: f.name,
    origin: f.origin,
    dialect: f.dialect,
    event: f.event,
    contentType: f.contentType,
    headers: headersOf(f),
    bodyBase64: f.body.toString('base64'),
    ...(f.method ? { method: f.method, path: f.path ?? '' } : {}),
  });
}

/**
 * The text of an export in `format`. A JSON bundle has one record per line after a header line,
 * so a huge one can be read back a line at a time; bodies are base64, bytes exactly as received.
 * The rows come in id order, from either store.
 */
export function exportText(format: 'har' | 'curl' | 'json', rows: DeliveryRow[], receiverBase: string, fixtureRows: () => FixtureRow[]): string {
  if (format === 'har') return JSON.stringify(toHar(rows, receiverBase), null, 2);
  if (format === 'curl') return toCurl(rows, receiverBase);
  return [bundleHeaderLine(), ...rows.map(bundleDeliveryLine), ...fixtureRows().map(bundleFixtureLine)].join('\n') + '\n';
}
