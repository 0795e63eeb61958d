import type { TimestampRule } from './types';

/** How a dialect writes its signature value: a fixed prefix, then an HMAC-SHA256 in one encoding. */
export interface SignatureShape {
  prefix: string;
  encoding: 'hex' | 'base64';
  /** The whole header's form, when the MAC is one part of it (Stripe's `t=…,v1=…`). */
  form?: string;
}

const HMAC_BYTES = 32;
const LENGTH = { hex: HMAC_BYTES * 2, base64: 44 } as const;

/** A piece of received text, quoted and cut short: it is hostile input and may be long. */
export function quote(text: string, max = 24): string {
  return JSON.stringify(text.length > max ? text.slice(0, max) + '…' : text);
}

export function describeShape(shape: SignatureShape): string {
  if (shape.form) return shape.form;
  const mac = shape.encoding === 'hex' ? `${LENGTH.hex} lowercase hex digits` : `the base64 of an HMAC-SHA256 (${LENGTH.base64} characters)`;
  return shape.prefix ? `"${shape.prefix}" followed by ${mac}` : `${mac} (no prefix)`;
}

export function fitsShape(shape: SignatureShape, value: string): boolean {
  return shapeProblem(shape, value) === null;
}

function hexProblem(core: string): string | null {
  if (/^[0-9a-f]+$/.test(core)) return core.length === LENGTH.hex ? null : `it has ${core.length} hex digits; an HMAC-SHA256 has ${LENGTH.hex}`;
  if (/^[0-9a-fA-F]+$/.test(core)) return 'its hex digits are upper-case; they must be lower-case';
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(core) && core.length >= 40 && core.length <= 46) return 'it looks like base64; this dialect writes the MAC in hex';
  const bad = [...core].find((c) => !/[0-9a-fA-F]/.test(c))!;
  return `it is not hex: it contains ${quote(bad)}`;
}

function base64Problem(core: string): string | null {
  if (/^[0-9a-f]{64}$/.test(core)) return 'it is hex; this dialect writes the MAC in base64';
  if (/^[A-Za-z0-9_-]+={0,2}$/.test(core) && /[-_]/.test(core)) return 'it is base64url ("-" and "_"); this dialect writes standard base64 ("+" and "/")';
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(core)) {
    const bad = [...core].find((c) => !/[A-Za-z0-9+/=]/.test(c)) ?? '=';
    return `it is not base64: it contains ${quote(bad)}${bad === '=' ? ' in the middle' : ''}`;
  }
  if (core.length !== LENGTH.base64) {
    const bytes = Buffer.from(core, 'base64').length;
    return `it has ${core.length} characters (${bytes} bytes); an HMAC-SHA256 is ${HMAC_BYTES} bytes, ${LENGTH.base64} characters in base64`;
  }
  return null;
}

/** What is wrong with a signature value's form, in words a person can act on; null when it is well formed. */
export function shapeProblem(shape: SignatureShape, value: string): string | null {
  if (value.trim() === '') return 'it is empty';
  if (!value.startsWith(shape.prefix)) {
    const other = /^([A-Za-z0-9]{1,10}[=,])/.exec(value)?.[1];
    return other ? `it starts ${quote(other)} where ${quote(shape.prefix)} is expected` : `it lacks the ${quote(shape.prefix)} prefix`;
  }
  const core = value.slice(shape.prefix.length);
  if (core === '') return `nothing follows ${quote(shape.prefix)}`;
  if (shape.prefix === '') {
    const prefixed = /^(sha\d+=|v\d+[=,])/.exec(core)?.[1];
    if (prefixed) return `it starts ${quote(prefixed)}, but this dialect sends the MAC with no prefix`;
  }
  return shape.encoding === 'hex' ? hexProblem(core) : base64Problem(core);
}

/** Why a timestamp header value is not in the dialect's format, naming the likely mix-up. */
export function timestampFormProblem(rule: TimestampRule, raw: string): string {
  const name = rule.header;
  const what = `${name} ${quote(raw, 40)}`;
  if (rule.format === 'unix-seconds') {
    if (/^\d{13}$/.test(raw)) return `${what} looks like milliseconds; the dialect wants whole seconds (${raw.slice(0, 10)}).`;
    if (/^\d{16}$/.test(raw)) return `${what} looks like microseconds; the dialect wants whole seconds (${raw.slice(0, 10)}).`;
    if (/^\d+\.\d+$/.test(raw)) return `${what} has a fraction; the dialect wants whole seconds.`;
    if (/^\d{4}-\d{2}-\d{2}/.test(raw)) return `${what} is a date; the dialect wants a unix time in whole seconds.`;
    if (raw.trim() === '') return `${name} is empty; the dialect wants a unix time in whole seconds.`;
    return `${what} is not a unix time in whole seconds.`;
  }
  if (/^\d{9,13}$/.test(raw)) return `${what} is a unix time; the dialect wants an ISO 8601 UTC time (e.g. 2026-03-02T08:16:40.000Z).`;
  if (/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?[+-]\d{2}:?\d{2}$/.test(raw)) return `${what} has a UTC offset; the dialect wants an ISO 8601 UTC time, ending in "Z".`;
  return `${what} is not an ISO 8601 UTC time (e.g. 2026-03-02T08:16:40.000Z).`;
}
