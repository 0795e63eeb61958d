import { randomUUID } from 'node:crypto';
import { writeFileSync } from 'node:fs';

/** A HAR export of `entries` POSTs of `body`, each with its own delivery id: big enough to make an import take a while. */
export function writeHar(path: string, entries: number, body: string, headers: [string, string][] = []): void {
  const entry = () => ({
    startedDateTime: new Date().toISOString(),
    request: {
      method: 'POST',
      url: 'https://example.test/hooks/x',
      headers: [
        { name: 'Content-Type', value: 'application/json' },
        ...headers.map(([name, value]) => ({ name, value })),
        { name: 'X-GitHub-Delivery', value: randomUUID() },
      ],
      postData: { mimeType: 'application/json', text: body },
    },
    response: { status: 202 },
  });
  writeFileSync(path, JSON.stringify({ log: { version: '1.2', entries: Array.from({ length: entries }, entry) } }));
}
