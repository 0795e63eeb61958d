/** Byte helpers for hostile payloads. Everything here returns plain strings for text nodes. */

export function fromBase64(base64: string): Uint8Array {
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

export function toBase64(bytes: Uint8Array): string {
  let binary = '';
  const CHUNK = 0x8000;
  for (let i = 0; i < bytes.length; i += CHUNK) binary += String.fromCharCode(...bytes.subarray(i, i + CHUNK));
  return btoa(binary);
}

export const textToBase64 = (text: string) => toBase64(new TextEncoder().encode(text));

/** Strict UTF-8 decode: null when the bytes are not text. */
export function utf8OrNull(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return null;
  }
}

/**
 * Text with control characters (other than tab and newlines) shown as \xNN, and invisible
 * or direction-changing characters as \u{…}, so nothing hides or reorders what is shown.
 */
export function visibleText(text: string): string {
  return text
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/g, (c) => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'))
    .replace(/[\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]/g, (c) => `\\u{${c.charCodeAt(0).toString(16)}}`);
}

/** For one-line strings that came from a payload (event names, reasons, header values). */
export const shown = (text: string | null | undefined): string => (text ? visibleText(text) : '');

export function looksBinary(bytes: Uint8Array): boolean {
  if (utf8OrNull(bytes.subarray(0, Math.min(bytes.length, 4096))) === null && utf8OrNull(bytes) === null) return true;
  let control = 0;
  const n = Math.min(bytes.length, 4096);
  for (let i = 0; i < n; i++) {
    const b = bytes[i]!;
    if (b < 9 || (b > 13 && b < 32)) control++;
  }
  return n > 0 && control / n > 0.1;
}

export function hexDump(bytes: Uint8Array, max = 64 * 1024): string {
  const lines: string[] = [];
  const end = Math.min(bytes.length, max);
  for (let off = 0; off < end; off += 16) {
    const row = Array.from(bytes.subarray(off, Math.min(off + 16, end)));
    const hex = row.map((b) => b.toString(16).padStart(2, '0')).join(' ');
    const ascii = row.map((b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '.')).join('');
    lines.push(`${off.toString(16).padStart(8, '0')}  ${hex.padEnd(47)}  ${ascii}`);
  }
  if (bytes.length > max) lines.push(`… ${(bytes.length - max).toLocaleString()} more bytes not shown`);
  return lines.join('\n');
}

/** Pretty JSON, or JSON inside a form-encoded `payload=` field (GitHub's form content type). */
export function prettyJson(text: string, contentType: string | null): string | null {
  const attempt = (t: string) => {
    try {
      return JSON.stringify(JSON.parse(t), null, 2);
    } catch {
      return null;
    }
  };
  const direct = attempt(text);
  if (direct !== null) return direct;
  if (contentType?.includes('x-www-form-urlencoded')) {
    const payload = new URLSearchParams(text).get('payload');
    if (payload !== null) return attempt(payload);
  }
  return null;
}

export function formatSize(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(n < 10 * 1024 ? 1 : 0)} KiB`;
  return `${(n / 1024 / 1024).toFixed(1)} MiB`;
}

/** Longest request line a list cell carries; the detail shows all of it. */
const LINE_CAP = 400;

/** An inbox capture's method and path (query included) as one visible line: `PROPFIND /dav/a?x=1`. */
export function requestLine(d: { method?: string | null | undefined; path?: string | null | undefined }, cap = LINE_CAP): string {
  const line = shown(`${d.method ?? ''} ${d.path || '/'}`);
  return line.length > cap ? `${line.slice(0, cap)}… (${line.length} characters)` : line;
}
