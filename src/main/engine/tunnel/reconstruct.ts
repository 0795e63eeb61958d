/**
 * Candidate originals of a body smee re-serialized. smee parses the provider's JSON and
 * relays `JSON.stringify(body)`; the provider signed its own serialization. Each
 * candidate is one serializer's way of writing the same value, named for the record.
 */
import { bodyVariants } from '../signature/body-variants';

export interface Reconstruction {
  name: string;
  body: Buffer;
}

export const COMPACT = 'compact JSON (JSON.stringify, as smee relays it)';

/** Ruby's ActiveSupport (GitHub, GitLab) and Go's encoding/json escape these for HTML safety. */
const htmlEscaped = (json: string) =>
  json.replace(/[<>&\u2028\u2029]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
/** JSON generators in ASCII-only mode (Ruby ascii_only, Python ensure_ascii, PHP default). */
const asciiEscaped = (json: string) => json.replace(/[\u0080-\uffff]/g, (c) => '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0'));
const slashEscaped = (json: string) => json.replace(/\//g, '\\/');
/** Python's json.dumps defaults: ", " and ": " separators, ASCII only. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(pythonDumps).join(', ') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonDumps(v)}`).join(', ') + '}';
  }
  return JSON.stringify(value);
}

/** Go's url.QueryEscape: only A-Z a-z 0-9 - _ . ~ stay, space becomes "+". */
const goQueryEscape = (text: string) =>
  encodeURIComponent(text)
    .replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');

export function isFormContentType(contentType: string | undefined): boolean {
  return (contentType ?? '').toLowerCase().startsWith('application/x-www-form-urlencoded');
}

function collector() {
  const out: Reconstruction[] = [];
  const add = (name: string, text: string | Buffer) => {
    const body = typeof text === 'string' ? Buffer.from(text, 'utf8') : text;
    if (!out.some((v) => v.body.equals(body))) out.push({ name, body });
  };
  return { out, add };
}

/**
 * A form-encoded hook through a smee that parses forms arrives as `{payload: "<JSON>"}`:
 * the JSON inside is the provider's own text, only the form escaping must be redone.
 */
function formReconstructions(body: unknown): Reconstruction[] {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) return [];
  const fields = Object.entries(body as Record<string, unknown>).filter((e): e is [string, string] => typeof e[1] === 'string');
  if (fields.length === 0) return [];
  const { out, add } = collector();
  add('form-encoded like Ruby URI.encode_www_form (GitHub)', new URLSearchParams(fields).toString());
  add('form-encoded like Go url.Values.Encode', fields.map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&'));
  add('form-encoded with encodeURIComponent', fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&'));
  return out;
}

/** Every plausible original, the likeliest first; the first is always what smee relayed. */
export function reconstructions(body: unknown, contentType: string | undefined): Reconstruction[] {
  if (isFormContentType(contentType)) return formReconstructions(body);
  if (body === undefined) return [];
  const compact = JSON.stringify(body);
  const { out, add } = collector();
  add(COMPACT, compact);
  add('GitHub style: <, >, & escaped as \\u003c, \\u003e, \\u0026', htmlEscaped(compact));
  add('GitHub style with non-ASCII escaped as \\uXXXX', asciiEscaped(htmlEscaped(compact)));
  add('non-ASCII escaped as \\uXXXX', asciiEscaped(compact));
  add('"/" escaped as "\\/" (PHP json_encode)', asciiEscaped(slashEscaped(compact)));
  add('Python json.dumps defaults', asciiEscaped(pythonDumps(body)));
  for (const variant of bodyVariants(Buffer.from(compact, 'utf8')).variants) add(variant.name.replace(/^as /, ''), variant.body);
  add('GitHub style, indented by 2 spaces', htmlEscaped(JSON.stringify(body, null, 2)));
  add('GitHub style with a trailing newline', htmlEscaped(compact) + '\n');
  return out;
}
