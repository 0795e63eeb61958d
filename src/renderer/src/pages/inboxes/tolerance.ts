const MAX_TOLERANCE = 30 * 86400;

/** A typed tolerance: null when left empty (the dialect's own), 'invalid' when not a whole number of seconds in range. */
export function parseTolerance(text: string): number | null | 'invalid' {
  const t = text.trim().replace(/[,_\s]/g, '');
  if (t === '') return null;
  if (!/^\d+$/.test(t)) return 'invalid';
  const n = Number(t);
  return n <= MAX_TOLERANCE ? n : 'invalid';
}
