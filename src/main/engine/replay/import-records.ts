import { z } from 'zod';
import { isShowableTime, LATEST_TIME_MS } from '../../../shared/dates';
import { dialectNames, isDialectName } from '../dialects';
import { DEFAULT_BODY_LIMIT } from '../receiver/server';

/** The receiver's own body limit: nothing imported is larger than what could have been received. */
export const MAX_IMPORTED_BODY = DEFAULT_BODY_LIMIT;
const MAX_HEADERS = 20_000;

/** Where in the file a problem is, in words a person can find it by. */
export class ImportError extends Error {}

/**
 * Every field is held to what the product can store, show and replay: times from 1970 to
 * 9999, bodies no larger than the receiver takes, header pairs that are HTTP header lines,
 * short single-line names and ids, known dialects. A bundle that strays is refused whole,
 * naming the line and the field.
 */
const line = (max: number) =>
  z
    .string()
    .max(max, `must be at most ${max} characters`)
    .regex(/^[^\u0000-\u001f\u007f]*$/, 'must be one line of text without control characters');
const time = z.number().int().min(0, 'must be ms since 1970 (not before 1970)').max(LATEST_TIME_MS, 'must be ms since 1970, before the year 10000');
const headerName = z.string().min(1, 'a header name cannot be empty').max(1000).regex(/^:?[!#$%&'*+.^_`|~0-9A-Za-z-]+$/, 'must be an HTTP header name');
const headerValue = z.string().max(100_000, 'must be at most 100000 characters').refine((v) => !/[\r\n\u0000]/.test(v), 'a header value must not contain line breaks or NUL');
const headerPairs = z.array(z.tuple([headerName, headerValue])).max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`);
const maxBase64 = Math.ceil(MAX_IMPORTED_BODY / 3) * 4;
const base64 = z
  .string()
  .max(maxBase64, `the body must be at most ${MAX_IMPORTED_BODY} bytes`)
  .regex(/^[A-Za-z0-9+/]*={0,2}$/, 'must be base64');
const statusCode = z
  .number()
  .int()
  .refine((n) => n === 0 || (n >= 100 && n <= 599), 'must be an HTTP status (100–599), or 0 for none');
const dialect = z.string().refine(isDialectName, `must be one of ${dialectNames.join(', ')}`);

const httpMethod = z.string().regex(/^[!#$%&'*+.^_`|~0-9A-Za-z-]{1,100}$/, 'must be an HTTP method');
/** The path after an inbox's address, query included: empty, or starting with / or ?. */
const capturedPath = line(64 * 1024).regex(/^(?:[/?].*)?$/, 'must be a path after the inbox address, starting with / or ?');

/** An inbox's id, as a bundle names the inbox a capture came from. */
export const INBOX_ID = /^in_[A-Za-z0-9_-]{1,124}$/;

export const bundleHeader = z.object({ format: z.literal('hookbench-bundle'), version: z.literal(1) });

export const bundleRecord = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('delivery'),
    receivedAt: time,
    event: line(1000).nullable().optional(),
    providerDeliveryId: line(1000).nullable().optional(),
    contentType: line(1000).nullable().optional(),
    statusCode: statusCode.optional(),
    headers: headerPairs,
    bodyBase64: base64,
    /** An inbox capture: the inbox, and the method and path it came with. */
    inboxId: z.string().regex(INBOX_ID, 'must be an inbox id (in_…)').nullable().optional(),
    method: httpMethod.nullable().optional(),
    path: capturedPath.nullable().optional(),
  }),
  z.object({
    kind: z.literal('fixture'),
    name: line(200).min(1, 'cannot be empty'),
    dialect: dialect.nullable().optional(),
    event: line(1000).nullable().optional(),
    contentType: line(1000).nullable().optional(),
    headers: headerPairs,
    bodyBase64: base64,
    /** Saved from an inbox capture: the method and path it came with (absent in older bundles). */
    method: httpMethod.nullable().optional(),
    path: capturedPath.nullable().optional(),
  }),
]);

export type BundleRecord = z.infer<typeof bundleRecord>;

const harHeader = z.object({ name: headerName, value: headerValue });
const harTime = z.string().refine((v) => {
  const t = Date.parse(v);
  return !Number.isNaN(t) && isShowableTime(t);
}, 'must be an ISO 8601 date between 1970 and 9999');

export const harEntry = z.object({
  startedDateTime: harTime,
  request: z.object({
    method: z.string(),
    url: z.string(),
    headers: z.array(harHeader).max(MAX_HEADERS, `at most ${MAX_HEADERS} headers`),
    postData: z
      .object({
        mimeType: line(1000),
        text: z.string().max(maxBase64, `the body must be at most ${MAX_IMPORTED_BODY} bytes`).optional(),
        _encoding: z.string().optional(),
        encoding: z.string().optional(),
      })
      .optional(),
  }),
  response: z.object({ status: statusCode }).optional(),
});

export type HarEntry = z.infer<typeof harEntry>;

/** "log.entries[3].request.headers[1].value: expected string", each path after `prefix`. */
export function describeIssues(error: z.ZodError, prefix = ''): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${(prefix + i.path.map((p) => (typeof p === 'number' ? `[${p}]` : `.${String(p)}`)).join('')).replace(/^\./, '') || '(top level)'}: ${i.message}`)
    .join('; ');
}
