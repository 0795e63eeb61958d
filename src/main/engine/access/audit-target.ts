/**
 * The id a change was aimed at, for the audit log: read from named fields only, so a secret,
 * a token or a body can never end up there.
 */
const TARGET_FIELDS = ['id', 'packageId', 'endpointId', 'connectionId', 'ref', 'uploadId', 'name', 'out', 'file', 'libraryKey'] as const;

const MAX = 200;

function pick(value: unknown, fields: readonly string[] = TARGET_FIELDS): string | null {
  if (typeof value !== 'object' || value === null) return null;
  const record = value as Record<string, unknown>;
  for (const field of fields) {
    const v = record[field];
    if (typeof v === 'string' || typeof v === 'number') return `${field === 'id' ? '' : `${field}:`}${v}`;
  }
  if (Array.isArray(record.ids) && record.ids.length > 0) return `ids:${record.ids.join(',')}`;
  return null;
}

/** From the params first; a new object's id comes from the answer (packages.add, endpoints.add, …). */
export function auditTarget(params: unknown, result: unknown): string | null {
  const target = pick(params, ['id']) ?? pick(result, ['id']) ?? pick(params) ?? pick(result);
  return target && target.length > MAX ? `${target.slice(0, MAX - 1)}…` : target;
}
