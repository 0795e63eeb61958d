export type ParsedHeaders = { headers: [string, string][] } | { error: string };

const REQUEST_LINE = /^[A-Z]+ \S+ HTTP\/\d(\.\d)?$/;

/** Headers pasted as a JSON object, a JSON list of pairs, or "Name: value" lines (a request line is skipped). */
export function parseHeaders(text: string): ParsedHeaders {
  const trimmed = text.trim();
  if (!trimmed) return { headers: [] };
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    let value: unknown;
    try {
      value = JSON.parse(trimmed);
    } catch (error) {
      return { error: `The headers look like JSON but do not parse: ${(error as Error).message}` };
    }
    if (Array.isArray(value)) {
      const ok = value.every((p) => Array.isArray(p) && p.length === 2 && typeof p[0] === 'string');
      if (!ok) return { error: 'A JSON list of headers must hold [name, value] pairs.' };
      return { headers: (value as [string, unknown][]).map(([k, v]) => [k, String(v)]) };
    }
    if (value && typeof value === 'object') {
      const headers: [string, string][] = [];
      for (const [k, v] of Object.entries(value)) {
        for (const one of Array.isArray(v) ? v : [v]) headers.push([k, String(one)]);
      }
      return { headers };
    }
    return { error: 'JSON headers must be an object ({"Name": "value"}) or a list of [name, value] pairs.' };
  }
  const headers: [string, string][] = [];
  const lines = trimmed.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!.trim();
    if (!line || (i === 0 && REQUEST_LINE.test(line))) continue;
    const colon = line.indexOf(':');
    if (colon <= 0) return { error: `Line ${i + 1} ("${line.slice(0, 40)}") has no "Name: value" colon.` };
    headers.push([line.slice(0, colon).trim(), line.slice(colon + 1).trim()]);
  }
  return { headers };
}
