import type { DeliveryOutcome, DeliverySource, Verdict } from '../../../shared/types';

export interface DeliveryFilter {
  packageId?: string | undefined;
  /** The receiving address: a package's hook id or an inbox id. */
  hookId?: string | undefined;
  outcome?: DeliveryOutcome | undefined;
  event?: string | undefined;
  verdict?: Verdict | undefined;
  source?: DeliverySource | undefined;
  since?: number | undefined;
  until?: number | undefined;
  q?: string | undefined;
}

/** The text columns a search reads, besides the body. */
export const SEARCHED_COLUMNS = ['event', 'tag', 'outcomeReason', 'providerDeliveryId', 'headers'] as const;

export type DeliveryFilterTerm =
  | { kind: 'is'; column: 'packageId' | 'hookId' | 'outcome' | 'verdict' | 'source'; value: string }
  | { kind: 'receivedFrom'; at: number }
  | { kind: 'receivedBefore'; at: number }
  /**
   * The text is part of one of the columns (or of the body read as UTF-8 text): a plain
   * substring, its ASCII letters matching either case and nothing else folded, as SQLite's
   * LIKE compares; every store selects the same rows for it.
   */
  | { kind: 'contains'; columns: readonly (typeof SEARCHED_COLUMNS)[number][]; body: boolean; text: string };

/**
 * Text given to match, up to any NUL in it: PostgreSQL text cannot hold one, and SQLite's LIKE
 * stops reading its pattern there (which turned "contains" into "ends with"). Empty, it selects everything.
 */
const textToMatch = (text: string | undefined) => text?.split('\u0000', 1)[0] || undefined;

/**
 * What a Deliveries filter selects, decided once for every store: each store only renders these
 * terms in its own SQL. A field left empty selects everything.
 */
export function deliveryFilterTerms(filter: DeliveryFilter): DeliveryFilterTerm[] {
  const terms: DeliveryFilterTerm[] = [];
  const event = textToMatch(filter.event);
  const q = textToMatch(filter.q);
  if (filter.packageId) terms.push({ kind: 'is', column: 'packageId', value: filter.packageId });
  if (filter.hookId) terms.push({ kind: 'is', column: 'hookId', value: filter.hookId });
  if (filter.outcome) terms.push({ kind: 'is', column: 'outcome', value: filter.outcome });
  // Part of the name is enough ("release" finds release and release.published), as in the window's filter box.
  if (event) terms.push({ kind: 'contains', columns: ['event'], body: false, text: event });
  if (filter.verdict) terms.push({ kind: 'is', column: 'verdict', value: filter.verdict });
  if (filter.source) terms.push({ kind: 'is', column: 'source', value: filter.source });
  if (filter.since !== undefined) terms.push({ kind: 'receivedFrom', at: filter.since });
  if (filter.until !== undefined) terms.push({ kind: 'receivedBefore', at: filter.until });
  // Bodies are bytes; searching their UTF-8 text is what a person means by "search".
  if (q) terms.push({ kind: 'contains', columns: SEARCHED_COLUMNS, body: true, text: q });
  return terms;
}

/** A LIKE pattern for "contains this text", its wildcard characters taken literally (escaped with a backslash). */
export const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => '\\' + c)}%`;
