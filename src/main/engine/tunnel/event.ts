/**
 * One smee message event. Its `data` is the request as smee saw it:
 * `{...lowercased request headers, body: <parsed JSON>, query: {...}, timestamp: <ms>}`.
 * The raw body bytes are gone; `body` is whatever smee's JSON parser made of them.
 */
export interface SmeeEvent {
  /** The provider's headers, in the order smee listed them (names lowercased by smee). */
  headers: [string, string][];
  /** The parsed body; undefined when smee sent none. */
  body: unknown;
  query: Record<string, unknown>;
  /** When smee received the request (ms), if it said. */
  timestamp: number | null;
}

/** Keys smee adds beside the headers. */
const SMEE_KEYS = new Set(['body', 'query', 'timestamp']);

const isRecord = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && !Array.isArray(value);

export function parseSmeeEvent(data: string): SmeeEvent {
  let parsed: unknown;
  try {
    parsed = JSON.parse(data);
  } catch (error) {
    throw new Error(`smee sent an event that is not JSON: ${(error as Error).message}`);
  }
  if (!isRecord(parsed)) throw new Error('smee sent an event that is not a JSON object.');
  const headers: [string, string][] = [];
  for (const [name, value] of Object.entries(parsed)) {
    if (SMEE_KEYS.has(name) || value === null || value === undefined) continue;
    // Node joins repeated headers with ", ", except a few it keeps as arrays (set-cookie).
    for (const one of Array.isArray(value) ? value : [value]) {
      headers.push([name, typeof one === 'string' ? one : JSON.stringify(one)]);
    }
  }
  const timestamp = typeof parsed.timestamp === 'number' && Number.isFinite(parsed.timestamp) ? parsed.timestamp : null;
  return { headers, body: parsed.body, query: isRecord(parsed.query) ? parsed.query : {}, timestamp };
}
