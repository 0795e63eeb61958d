import { deliveries } from '../db/schema';
import { tableSql } from '../db/pg/table-sql';
import { containsPattern, deliveryFilterTerms, type DeliveryFilter, type DeliveryFilterTerm } from './delivery-filter-terms';

const d = tableSql(deliveries);

/**
 * A byte other than NUL, as two hex digits. SQLite's LIKE reads a value as the C string it is
 * given, up to its first NUL: the body's bytes after one are never matched there, nor here.
 */
const NOT_NUL = '(?:0[1-9a-f]|[1-9a-f][0-9a-f])';

const isAsciiLetter = (byte: number) => (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a);

/**
 * "The body contains this text", as a regular expression over the body in hex. A body is bytes
 * and may not be valid UTF-8 (PostgreSQL refuses to read such bytes as text), so the text's UTF-8
 * bytes are matched at a byte boundary of the hex; an ASCII letter matches either case (0x41 and
 * 0x61 differ only in their first hex digit), every other byte exactly.
 */
export function bodyContainsPattern(text: string): string {
  let pattern = `^${NOT_NUL}*`;
  for (const byte of Buffer.from(text, 'utf8')) {
    const low = (byte & 0x0f).toString(16);
    pattern += isAsciiLetter(byte) ? `[${(byte & ~0x20) >> 4}${(byte | 0x20) >> 4}]${low}` : byte.toString(16).padStart(2, '0');
  }
  return pattern;
}

/**
 * The text as PostgreSQL's "escape" encoding writes bytes (a NUL or a byte from 0x80 up as \ooo,
 * a backslash doubled, every other byte as itself). Encoding works byte by byte, so a body that
 * contains the text (ASCII letters folded) has an encoding that contains this one: a cheap first
 * test that lets the exact one (hex, above) read only the bodies that pass it: a search then
 * takes about a third of the time it takes to read every body's hex.
 */
export function escapeEncoded(text: string): string {
  let encoded = '';
  for (const byte of Buffer.from(text, 'utf8')) {
    encoded += byte === 0 || byte >= 0x80 ? `\\${byte.toString(8).padStart(3, '0')}` : byte === 0x5c ? '\\\\' : String.fromCharCode(byte);
  }
  return encoded;
}

/** The filter's terms as PostgreSQL conditions; each value is added to `params` and named by its $n. */
export function pgDeliveryConditions(filter: DeliveryFilter, params: unknown[]): string[] {
  const param = (value: unknown) => `$${params.push(value)}`;
  const condition = (term: DeliveryFilterTerm): string => {
    switch (term.kind) {
      case 'is':
        return `${d.column(term.column)} = ${param(term.value)}`;
      case 'receivedFrom':
        return `${d.column('receivedAt')} >= ${param(term.at)}`;
      case 'receivedBefore':
        return `${d.column('receivedAt')} < ${param(term.at)}`;
      case 'contains': {
        // ILIKE under the "C" collation folds ASCII letters only, as SQLite's LIKE does.
        const pattern = param(containsPattern(term.text));
        const each = term.columns.map((column) => `${d.column(column)} COLLATE "C" ILIKE ${pattern} ESCAPE '\\'`);
        if (term.body) {
          const body = d.column('body');
          const maybe = `encode(${body}, 'escape') COLLATE "C" ILIKE ${param(containsPattern(escapeEncoded(term.text)))} ESCAPE '\\'`;
          each.push(`(${maybe} AND encode(${body}, 'hex') ~ ${param(bodyContainsPattern(term.text))})`);
        }
        return each.length === 1 ? each[0]! : `(${each.join(' OR ')})`;
      }
    }
  };
  return deliveryFilterTerms(filter).map(condition);
}
