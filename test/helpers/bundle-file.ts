import { randomBytes } from 'node:crypto';
import { closeSync, openSync, writeSync } from 'node:fs';

export const BUNDLE_HEADER = { format: 'hookbench-bundle', version: 1 };

/** A bundle record: a GitHub-style delivery numbered `n`, with a body of about `bodyBytes`. */
export function bundleDelivery(n: number, bodyBytes = 200): Record<string, unknown> {
  const body = JSON.stringify({ n, pad: 'x'.repeat(bodyBytes) });
  return {
    kind: 'delivery',
    receivedAt: 1_700_000_000_000 + n,
    event: 'push',
    providerDeliveryId: `delivery-${n}`,
    contentType: 'application/json',
    statusCode: 202,
    headers: [
      ['content-type', 'application/json'],
      ['x-github-event', 'push'],
      ['x-github-delivery', `delivery-${n}`],
    ],
    bodyBase64: Buffer.from(body).toString('base64'),
  };
}

/** Writes a bundle as `export --format json` does: the header, then one record per line. */
export function writeBundle(path: string, records: Iterable<Record<string, unknown>>): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, JSON.stringify(BUNDLE_HEADER) + '\n');
    for (const r of records) writeSync(fd, JSON.stringify(r) + '\n');
  } finally {
    closeSync(fd);
  }
}

/** A HAR document on one line, of `entries` POSTs whose bodies are `bodyBytes` of random hex, written piece by piece. */
export function writeOneLineHar(path: string, entries: number, bodyBytes: number): void {
  const fd = openSync(path, 'w');
  try {
    writeSync(fd, '{"log":{"version":"1.2","creator":{"name":"test","version":"1"},"entries":[');
    for (let i = 0; i < entries; i++) {
      const entry = {
        startedDateTime: new Date(1_700_000_000_000 + i).toISOString(),
        request: {
          method: 'POST',
          url: 'https://example.test/hooks/x',
          headers: [
            { name: 'Content-Type', value: 'application/json' },
            { name: 'X-GitHub-Delivery', value: `har-${i}` },
          ],
          postData: { mimeType: 'application/json', text: JSON.stringify({ i, pad: randomBytes(bodyBytes / 2).toString('hex') }) },
        },
        response: { status: 200 },
      };
      writeSync(fd, (i ? ',' : '') + JSON.stringify(entry));
    }
    writeSync(fd, ']}}');
  } finally {
    closeSync(fd);
  }
}
