import { jsonDepth, MAX_REWRITE_DEPTH } from './json-depth';

/**
 * Plausible originals of a body that was changed on its way here: each is what some sender or
 * relay might have signed before the bytes were changed.
 */
export interface BodyVariant {
  /** Reads after "the body": "without its trailing newline", "as compact JSON"… */
  name: string;
  body: Buffer;
  /** `bytes`: a newline, BOM or line ending changed; `json`: the JSON was parsed and written again. */
  kind: 'bytes' | 'json';
  /** What happened to the body on the way, as a sentence, when this variant is the one that was signed. */
  change: string;
}

export interface BodyVariants {
  variants: BodyVariant[];
  /** Reconstructions left out, and why. */
  untried: string[];
}

const BOM = Buffer.from([0xef, 0xbb, 0xbf]);
const REWRITTEN = 'The JSON was parsed and written again between the sender and here (by a relay, a proxy or a body parser), so the bytes that arrived are not the bytes that were signed.';

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

function byteVariants(body: Buffer, text: string, add: (variant: Omit<BodyVariant, 'body'>, bytes: Buffer | string) => void): void {
  const bytes = (name: string, change: string) => ({ name, kind: 'bytes' as const, change });
  if (body.subarray(0, 3).equals(BOM)) {
    add(bytes('without its byte-order mark', 'A byte-order mark was put before the body after it was signed (by an editor, a proxy or the sender\u2019s text encoder).'), body.subarray(3));
  } else {
    add(bytes('with a byte-order mark', 'The sender signed the body with a leading byte-order mark, which was dropped on the way.'), Buffer.concat([BOM, body]));
  }
  if (text.endsWith('\n')) {
    add(bytes('without its trailing newline', 'A newline was added at the end after signing, by the sender\u2019s framework or by a proxy on the way.'), text.replace(/\r?\n$/, ''));
  } else {
    add(bytes('with a trailing newline', 'The sender signed a final newline that was removed before the body arrived (by its framework or a proxy trimming the body).'), text + '\n');
  }
  if (text.includes('\r\n')) add(bytes('with LF line endings', 'The body was signed with LF line endings, which were turned into CRLF on the way.'), text.replace(/\r\n/g, '\n'));
}

function jsonVariants(parsed: unknown, add: (variant: Omit<BodyVariant, 'body'>, bytes: string) => void): void {
  const json = (name: string) => ({ name, kind: 'json' as const, change: REWRITTEN });
  const compact = JSON.stringify(parsed);
  add(json('as compact JSON'), compact);
  add(json('as JSON indented by 2 spaces'), JSON.stringify(parsed, null, 2));
  add(json('as JSON indented by 4 spaces'), JSON.stringify(parsed, null, 4));
  add(json('as JSON indented by tabs'), JSON.stringify(parsed, null, '\t'));
  add(json('as JSON with ", " and ": " separators (Python)'), pythonSpaced(parsed));
  add(json('as JSON with sorted keys'), JSON.stringify(sortKeys(parsed)));
  add(json('as JSON with "/" escaped as "\\/" (PHP)'), slashEscaped(compact));
  add(json('as JSON with <, > and & escaped as \\u003c… (Go, GitHub)'), htmlEscaped(compact));
  add(json('as JSON with non-ASCII escaped as \\uXXXX'), asciiOnly(compact));
  add(json('as JSON with HTML and non-ASCII escaped'), asciiOnly(htmlEscaped(compact)));
  // Escapings combine: PHP's json_encode escapes "/" and non-ASCII by default, and HTML with its JSON_HEX_* flags.
  add(json('as JSON with "/" and non-ASCII escaped (PHP json_encode defaults)'), asciiOnly(slashEscaped(compact)));
  add(json('as JSON with "/" and <, >, & escaped'), htmlEscaped(slashEscaped(compact)));
  add(json('as JSON with "/", HTML and non-ASCII escaped'), asciiOnly(htmlEscaped(slashEscaped(compact))));
  add(json('as compact JSON with a trailing newline'), compact + '\n');
}

export function bodyVariants(body: Buffer): BodyVariants {
  const variants: BodyVariant[] = [];
  const untried: string[] = [];
  const add = (variant: Omit<BodyVariant, 'body'>, candidate: Buffer | string) => {
    const bytes = typeof candidate === 'string' ? Buffer.from(candidate, 'utf8') : candidate;
    if (!bytes.equals(body) && !variants.some((v) => v.body.equals(bytes))) variants.push({ ...variant, body: bytes });
  };
  const text = body.toString('utf8');
  byteVariants(body, text, add);

  const json = text.replace(/^\uFEFF/, '');
  const depth = jsonDepth(json);
  if (depth > MAX_REWRITE_DEPTH) {
    untried.push(`JSON re-serializations: the body nests ${depth.toLocaleString('en-US')} levels deep, more than the ${MAX_REWRITE_DEPTH.toLocaleString('en-US')} Hookbench re-serializes.`);
    return { variants, untried };
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    return { variants, untried };
  }
  jsonVariants(parsed, add);
  return { variants, untried };
}

/**
 * What URLSearchParams writes (application/x-www-form-urlencoded), built on encodeURIComponent:
 * several times faster on a body of megabytes. Text from a Buffer has no lone surrogates to throw on.
 */
const formEncoded = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!~'()]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');

/** Form bodies and JSON bodies can each be the other on the way (GitHub's `payload=` form). */
export function encodingVariants(body: Buffer, contentType: string | undefined): BodyVariant[] {
  const text = body.toString('utf8');
  const change = 'It was signed in one encoding and arrived in the other.';
  if ((contentType ?? '').toLowerCase().includes('x-www-form-urlencoded') || text.startsWith('payload=')) {
    const payload = new URLSearchParams(text).get('payload');
    return payload === null ? [] : [{ name: 'as the JSON inside the form field "payload"', kind: 'bytes', change, body: Buffer.from(payload) }];
  }
  return [
    { name: 'form-encoded as payload=<JSON> (URLSearchParams)', kind: 'bytes', change, body: Buffer.from('payload=' + formEncoded(text)) },
    { name: 'form-encoded as payload=<JSON> (encodeURIComponent)', kind: 'bytes', change, body: Buffer.from('payload=' + encodeURIComponent(text)) },
  ];
}
