/**
 * Times are stored as ms since 1970. What can be shown runs from 1970 to the end of 9999;
 * anything else (a poisoned import, an old row) is shown as "invalid date", never thrown on,
 * so one bad row cannot break a list.
 */
export const LATEST_TIME_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export const INVALID_DATE = 'invalid date';

/** A time Date can represent (what formatting needs; imports ask for the narrower showable range). */
export const isValidTime = (ms: number): boolean => Number.isFinite(ms) && !Number.isNaN(new Date(ms).getTime());

export const isShowableTime = (ms: number): boolean => Number.isInteger(ms) && ms >= 0 && ms <= LATEST_TIME_MS;

/** ISO 8601, or "invalid date". */
export const isoTime = (ms: number): string => (isValidTime(ms) ? new Date(ms).toISOString() : INVALID_DATE);
