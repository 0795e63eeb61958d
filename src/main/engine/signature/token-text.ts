/**
 * A secret token described without showing it: its length, and for a token that does not match
 * (and is long enough that two characters give nothing away) how it starts.
 */
export function describeToken(value: string, showStart: boolean): string {
  const chars = `${value.length} character${value.length === 1 ? '' : 's'}`;
  return showStart && value.length >= 12 ? `${chars}, starting "${value.slice(0, 2)}…"` : `${chars} (not shown)`;
}
