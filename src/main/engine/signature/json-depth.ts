/**
 * How deeply a JSON text nests, counted without parsing: re-serializing (JSON.stringify, key
 * sorting) recurses once per level, and a hostile body can nest hundreds of thousands deep.
 */
export function jsonDepth(text: string): number {
  let depth = 0;
  let max = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c) i++;
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) max = Math.max(max, ++depth);
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return max;
}

/** Deep enough for any real payload, shallow enough that re-serializing never exhausts the stack. */
export const MAX_REWRITE_DEPTH = 1000;
