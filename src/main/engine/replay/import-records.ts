import { z } from 'zod';
import { jsonErrorLocation } from './json-error';

/** Where in the file a problem is, in words a person can find it by. */
export class ImportError extends Error {}

const headerPairs = z.array(z.tuple([z.string(), z.string()]));
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');

export const bundleHeader = z.object({ format: z.literal('hookbench-bundle'), version: z.literal(1) });

export const bundleRecord = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('delivery'),
    receivedAt: z.number().int().nonnegative(),
    event: z.string().nullable().optional(),
    providerDeliveryId: z.string().nullable().optional(),
    contentType: z.string().nullable().optional(),
    statusCode: z.number().int().optional(),
    headers: headerPairs,
    bodyBase64: base64,
  }),
  z.object({
    kind: z.literal('fixture'),
    name: z.string().min(1),
    dialect: z.string().nullable().optional(),
    event: z.string().nullable().optional(),
    contentType: z.string().nullable().optional(),
    headers: headerPairs,
    bodyBase64: base64,
  }),
]);

export type BundleRecord = z.infer<typeof bundleRecord>;

const harHeader = z.object({ name: z.string(), value: z.string() });

export const har = z.object({
  log: z.object({
    version: z.string(),
    entries: z.array(
      z.object({
        startedDateTime: z.string(),
        request: z.object({
          method: z.string(),
          url: z.string(),
          headers: z.array(harHeader),
          postData: z
            .object({ mimeType: z.string(), text: z.string().optional(), _encoding: z.string().optional(), encoding: z.string().optional() })
            .optional(),
        }),
        response: z.object({ status: z.number().int() }).optional(),
      }),
    ),
  }),
});

export type Har = z.infer<typeof har>;

/** "entries[3].request.headers[1].value: expected string" */
export function describeIssues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('').replace(/^\./, '') || '(top level)'}: ${i.message}`)
    .join('; ');
}

/** A JSON.parse error as line and column. */
export function jsonErrorAt(text: string, error: unknown): string {
  const at = jsonErrorLocation(text);
  const message = (error as Error).message.split('\n')[0]!.replace(/ in JSON at position \d+.*$/, '');
  return at ? `line ${at.line}, column ${at.column}: ${message}` : message;
}
