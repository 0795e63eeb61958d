/**
 * Plausible originals of a body that was re-serialized on its way here: each is
 * what some sender or relay might have signed before the bytes were changed.
 */
export interface BodyVariant {
  name: string;
  body: Buffer;
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.keys(value).sort().map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]));
  }
  return value;
}

/** The escaping Go's encoding/json (GitHub, Gitea) and PHP's json_encode apply. */
const htmlEscaped = (json: string) => json.replace(/</g, '\\u003c').replace(/>/g, '\\u003e').replace(/&/g, '\\u0026');
const slashEscaped = (json: string) => json.replace(/\//g, '\\/');
const asciiOnly = (json: string) => json.replace(/[\u007f-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
/** Python's json.dumps default separators. */
const pythonSpaced = (value: unknown) => JSON.stringify(value, null, 1).replace(/\n\s*/g, ' ').replace(/\[ /g, '[').replace(/ \]/g, ']').replace(/\{ /g, '{').replace(/ \}/g, '}');

export function bodyVariants(body: Buffer): BodyVariant[] {
  const out: BodyVariant[] = [];
  const add = (name: string, candidate: Buffer | string) => {
    const bytes = typeof candidate === 'string' ? Buffer.from(candidate, 'utf8') : candidate;
    if (!bytes.equals(body) && !out.some((v) => v.body.equals(bytes))) out.push({ name, body: bytes });
  };
  const text = body.toString('utf8');
  if (body.subarray(0, 3).equals(BOM)) add('without the byte-order mark', body.subarray(3));
  else add('with a byte-order mark', Buffer.concat([BOM, body]));
  if (text.endsWith('\n')) add('without the trailing newline', text.replace(/\r?\n$/, ''));
  else add('with a trailing newline', text + '\n');
  if (text.includes('\r\n')) add('with LF line endings', text.replace(/\r\n/g, '\n'));

  let parsed: unknown;
  try {
    parsed = JSON.parse(text.replace(/^\uFEFF/, ''));
  } catch {
    return out;
  }
  const compact = JSON.stringify(parsed);
  add('compact JSON', compact);
  add('JSON indented by 2 spaces', JSON.stringify(parsed, null, 2));
  add('JSON indented by 4 spaces', JSON.stringify(parsed, null, 4));
  add('JSON indented by tabs', JSON.stringify(parsed, null, '\t'));
  add('JSON with ", " and ": " separators (Python)', pythonSpaced(parsed));
  add('JSON with sorted keys', JSON.stringify(sortKeys(parsed)));
  add('JSON with "/" escaped as "\\/" (PHP)', slashEscaped(compact));
  add('JSON with <, > and & escaped as \\u003c… (Go, GitHub)', htmlEscaped(compact));
  add('JSON with non-ASCII escaped as \\uXXXX', asciiOnly(compact));
  add('JSON with HTML and non-ASCII escaped', asciiOnly(htmlEscaped(compact)));
  // Escapings combine: PHP's json_encode escapes "/" and non-ASCII by default, and HTML with its JSON_HEX_* flags.
  add('JSON with "/" and non-ASCII escaped (PHP json_encode defaults)', asciiOnly(slashEscaped(compact)));
  add('JSON with "/" and <, >, & escaped', htmlEscaped(slashEscaped(compact)));
  add('JSON with "/", HTML and non-ASCII escaped', asciiOnly(htmlEscaped(slashEscaped(compact))));
  add('compact JSON with a trailing newline', compact + '\n');
  return out;
}

/** Form bodies and JSON bodies can each be the other on the way (GitHub's `payload=` form). */
export function encodingVariants(body: Buffer, contentType: string | undefined): BodyVariant[] {
  const text = body.toString('utf8');
  if ((contentType ?? '').toLowerCase().includes('x-www-form-urlencoded') || text.startsWith('payload=')) {
    const payload = new URLSearchParams(text).get('payload');
    return payload === null ? [] : [{ name: 'the JSON inside the form field "payload"', body: Buffer.from(payload) }];
  }
  return [
    { name: 'form-encoded as payload=<JSON> (URLSearchParams)', body: Buffer.from(new URLSearchParams({ payload: text }).toString()) },
    { name: 'form-encoded as payload=<JSON> (encodeURIComponent)', body: Buffer.from('payload=' + encodeURIComponent(text)) },
  ];
}
