/**
 * Candidate originals of a body smee re-serialized. smee parses the provider's JSON and
 * relays `JSON.stringify(body)`; the provider signed its own serialization. Each
 * candidate is one serializer's way of writing the same value: a layout (compact, Python's
 * separators, indented) and the escapes it applies. A candidate is named for what it
 * actually changed in this body, so the record says which form was found, not which
 * serializer was guessed.
 */
import { bodyVariants } from '../signature/body-variants';

export interface Reconstruction {
  name: string;
  body: Buffer;
}

export const COMPACT = 'compact JSON (JSON.stringify, as smee relays it)';

type Layout = 'compact' | 'python' | 'indent2' | 'indent4';
/** Applied in this order, so "\/" is never escaped again. */
type Escape = 'slash' | 'html' | 'dotnet' | 'nonAscii';

interface Form {
  layout: Layout;
  escapes: Escape[];
  /** \u003C rather than \u003c (.NET's System.Text.Json). */
  upper?: boolean;
  newline?: boolean;
  /** Who writes exactly this; named only when every escape of the form changed something. */
  producer?: string;
}

/** Simplest first: when two forms give the same bytes, the simpler name is the true one. */
const FORMS: Form[] = [
  { layout: 'compact', escapes: [] },
  { layout: 'compact', escapes: ['html'], producer: 'GitHub, Go' },
  { layout: 'compact', escapes: ['nonAscii'], producer: 'Ruby ascii_only, Python ensure_ascii' },
  { layout: 'compact', escapes: ['html', 'nonAscii'], producer: 'GitHub' },
  { layout: 'compact', escapes: ['slash'] },
  { layout: 'compact', escapes: ['slash', 'nonAscii'], producer: 'PHP json_encode defaults' },
  { layout: 'python', escapes: ['nonAscii'], producer: 'Python json.dumps defaults' },
  { layout: 'indent2', escapes: [] },
  { layout: 'indent2', escapes: ['nonAscii'], producer: 'Python json.dumps(indent=2)' },
  { layout: 'indent2', escapes: ['html'], producer: 'GitHub' },
  { layout: 'indent4', escapes: [] },
  { layout: 'indent4', escapes: ['nonAscii'], producer: 'Python json.dumps(indent=4)' },
  { layout: 'compact', escapes: ['html'], upper: true },
  { layout: 'compact', escapes: ['nonAscii'], upper: true },
  { layout: 'compact', escapes: ['html', 'nonAscii'], upper: true },
  { layout: 'compact', escapes: ['dotnet', 'nonAscii'], upper: true, producer: '.NET System.Text.Json' },
  { layout: 'indent2', escapes: ['nonAscii'], upper: true },
  { layout: 'compact', escapes: ['html'], newline: true, producer: 'GitHub' },
];

const LAYOUT_NAME: Record<Layout, string> = {
  compact: 'compact JSON',
  python: 'JSON with ", " and ": " separators',
  indent2: 'JSON indented by 2 spaces',
  indent4: 'JSON indented by 4 spaces',
};

const ESCAPE_NAME: Record<Exclude<Escape, 'slash'>, string> = {
  html: '<, >, &',
  dotnet: "<, >, &, ', +, ` and quotes",
  nonAscii: 'non-ASCII',
};

const unicodeEscape = (upper: boolean) => (c: string) => {
  const hex = c.charCodeAt(0).toString(16).padStart(4, '0');
  return '\\u' + (upper ? hex.toUpperCase() : hex);
};

const ESCAPES: Record<Escape, (json: string, upper: boolean) => string> = {
  slash: (json) => json.replace(/\//g, '\\/'),
  /** Ruby's ActiveSupport (GitHub, GitLab) and Go's encoding/json escape these for HTML safety. */
  html: (json, upper) => json.replace(/[<>&\u2028\u2029]/g, unicodeEscape(upper)),
  /** System.Text.Json's default encoder; it writes a quote inside a string as \u0022 too. */
  dotnet: (json, upper) =>
    json.replace(/[<>&'+`]/g, unicodeEscape(upper)).replace(/\\(.)/g, (pair: string, c: string) => (c === '"' ? unicodeEscape(upper)('"') : pair)),
  /** JSON generators in ASCII-only mode (Ruby ascii_only, Python ensure_ascii, PHP default). */
  nonAscii: (json, upper) => json.replace(/[\u0080-\uffff]/g, unicodeEscape(upper)),
};

/** Python's json.dumps defaults: ", " and ": " separators. */
function pythonDumps(value: unknown): string {
  if (Array.isArray(value)) return '[' + value.map(pythonDumps).join(', ') + ']';
  if (value !== null && typeof value === 'object') {
    return '{' + Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}: ${pythonDumps(v)}`).join(', ') + '}';
  }
  return JSON.stringify(value);
}

function layOut(value: unknown, layout: Layout): string {
  if (layout === 'python') return pythonDumps(value);
  return JSON.stringify(value, null, layout === 'indent2' ? 2 : layout === 'indent4' ? 4 : undefined);
}

/** The form's bytes for this value, and its name by what the escapes changed. */
function render(form: Form, laidOut: string): Reconstruction {
  let text = laidOut;
  const applied: Escape[] = [];
  for (const escape of form.escapes) {
    const next = ESCAPES[escape](text, form.upper ?? false);
    if (next !== text) applied.push(escape);
    text = next;
  }
  if (form.newline) text += '\n';
  if (applied.length === 0 && !form.newline) return { name: form.layout === 'compact' ? COMPACT : LAYOUT_NAME[form.layout], body: Buffer.from(text, 'utf8') };
  const parts: string[] = [];
  if (applied.includes('slash')) parts.push('"/" as "\\/"');
  const unicode = applied.filter((e): e is Exclude<Escape, 'slash'> => e !== 'slash').map((e) => ESCAPE_NAME[e]);
  if (unicode.length) parts.push(`${unicode.join(' and ')} as \\u${form.upper ? 'XXXX (uppercase hex)' : 'xxxx'}`);
  let name = LAYOUT_NAME[form.layout];
  if (parts.length) name += `, escaped: ${parts.join('; ')}`;
  if (form.newline) name += ', with a trailing newline';
  if (form.producer && applied.length === form.escapes.length) name += ` (${form.producer})`;
  return { name, body: Buffer.from(text, 'utf8') };
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
  const add = (candidate: Reconstruction) => {
    if (!out.some((v) => v.body.equals(candidate.body))) out.push(candidate);
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
  add({ name: 'form-encoded like Ruby URI.encode_www_form (GitHub)', body: Buffer.from(new URLSearchParams(fields).toString()) });
  add({ name: 'form-encoded like Go url.Values.Encode', body: Buffer.from(fields.map(([k, v]) => `${goQueryEscape(k)}=${goQueryEscape(v)}`).join('&')) });
  add({ name: 'form-encoded with encodeURIComponent', body: Buffer.from(fields.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join('&')) });
  return out;
}

/** What smee relayed, as bytes: the likeliest original, tried before anything is rebuilt. */
export function firstReconstruction(body: unknown, contentType: string | undefined): Reconstruction | null {
  if (isFormContentType(contentType)) return formReconstructions(body)[0] ?? null;
  return body === undefined ? null : { name: COMPACT, body: Buffer.from(JSON.stringify(body), 'utf8') };
}

/** Every plausible original, the first always what smee relayed. Built only when that one does not verify. */
export function reconstructions(body: unknown, contentType: string | undefined): Reconstruction[] {
  if (isFormContentType(contentType)) return formReconstructions(body);
  if (body === undefined) return [];
  const { out, add } = collector();
  const laidOut = new Map<Layout, string>();
  for (const form of FORMS) {
    let text = laidOut.get(form.layout);
    if (text === undefined) laidOut.set(form.layout, (text = layOut(body, form.layout)));
    add(render(form, text));
  }
  for (const variant of bodyVariants(out[0]!.body).variants) add(variant);
  return out;
}
