import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from './methods';
import type {
  ActivityEntry,
  AttemptView,
  DialectInfo,
  EndpointSecret,
  EndpointSeriesPoint,
  EndpointSummary,
  MessageView,
  DeliveryDetail,
  DeliverySummary,
  Diagnosis,
  PackageCreated,
  PackageSummary,
  Release,
  ServerInfo,
  SignedRequest,
} from './types';

/**
 * The engine API, declared once. Electron IPC, the HTTP control API and the CLI
 * are adapters over this map; params are validated at every boundary.
 */
const method =
  <R>() =>
  <P extends z.ZodType>(params: P) => ({ params, result: undefined as unknown as R });

const id = z.string().min(1).max(200);
const limit = z.number().int().min(1).max(10_000).default(100);
const outcome = z.enum(['pending', 'ingested', 'duplicate', 'ignored', 'skipped', 'rejected', 'ping', 'tag_deleted']);

const deliveryFilter = z.object({
  packageId: id.optional(),
  outcome: outcome.optional(),
  event: z.string().max(200).optional(),
  verdict: z.enum(['valid', 'invalid', 'missing', 'unchecked']).optional(),
  source: z.enum(['direct', 'tunnel', 'replay', 'import']).optional(),
  /** Received at or after (ms). */
  since: z.number().int().min(0).optional(),
  /** Received before (ms). */
  until: z.number().int().min(0).optional(),
  /** Text searched in the event, tag, reason, delivery id, headers and body. */
  q: z.string().max(500).optional(),
});

const headerPairs = z.array(z.tuple([z.string().max(1000), z.string().max(100_000)])).max(20_000);

const endpointFields = z.object({
  name: z.string().min(1).max(200),
  url: z.string().url().max(2000),
  dialect: z.string().min(1).max(50),
  events: z.array(z.string().min(1).max(200)).min(1, 'an endpoint needs at least one event').max(200),
  retryDelays: z.array(z.number().min(0).max(7 * 86400)).min(0).max(50).nullable().optional(),
  maxInFlight: z.number().int().min(1).max(256).optional(),
  timeoutMs: z.number().int().min(100).max(120_000).optional(),
  relay: z.object({ packageId: id, mode: z.enum(['original', 'resign']) }).nullable().optional(),
  format: z.enum(['dialect', 'slack', 'discord', 'template']).optional(),
  template: z.string().max(100_000).nullable().optional(),
});

export const contract = {
  'server.info': method<ServerInfo>()(z.object({})),
  'packages.add': method<PackageCreated>()(
    z.object({
      provider: z.enum(['github', 'gitlab']),
      repo: z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, 'expected OWNER/NAME'),
      repoId: z.string().regex(/^\d{1,20}$/, 'expected the numeric repository id'),
      name: z.string().min(1).max(200).optional(),
    }),
  ),
  'packages.list': method<PackageSummary[]>()(z.object({})),
  'packages.get': method<PackageSummary>()(z.object({ id })),
  'packages.remove': method<{ removed: true }>()(z.object({ id })),
  'releases.list': method<Release[]>()(z.object({ packageId: id })),
  'deliveries.list': method<DeliverySummary[]>()(deliveryFilter.extend({ beforeId: z.number().int().positive().optional(), limit })),
  'deliveries.count': method<{ count: number }>()(deliveryFilter),
  'deliveries.get': method<DeliveryDetail>()(z.object({ id: z.number().int().positive() })),
  'activity.list': method<ActivityEntry[]>()(z.object({ packageId: id.optional(), limit })),
  'dialects.list': method<DialectInfo[]>()(z.object({})),
  'endpoints.add': method<EndpointSecret>()(endpointFields.extend({ secret: z.string().min(1).max(1000).optional() })),
  'endpoints.list': method<EndpointSummary[]>()(z.object({})),
  'endpoints.get': method<EndpointSummary>()(z.object({ id })),
  'endpoints.update': method<EndpointSummary>()(endpointFields.partial().extend({ id })),
  'endpoints.remove': method<{ removed: true }>()(z.object({ id })),
  'endpoints.enable': method<EndpointSummary>()(z.object({ id })),
  'endpoints.disable': method<EndpointSummary>()(z.object({ id, reason: z.string().max(500).optional() })),
  'endpoints.rotateSecret': method<EndpointSecret>()(
    z.object({ id, secret: z.string().min(1).max(1000).optional(), overlapSeconds: z.number().int().min(0).max(30 * 86400).optional() }),
  ),
  'endpoints.attempts': method<AttemptView[]>()(z.object({ id, limit })),
  'endpoints.messages': method<MessageView[]>()(z.object({ id, limit })),
  'endpoints.series': method<EndpointSeriesPoint[]>()(
    z.object({ id, since: z.number().int().min(0), bucketMs: z.number().int().min(1000).max(7 * 86400_000) }),
  ),
  'endpoints.trigger': method<MessageView>()(z.object({ id, event: z.string().min(1).max(200) })),
  /** Queues many samples in one transaction (load tests); returns their message row ids. */
  'endpoints.triggerMany': method<{ ids: number[]; createdAt: number }>()(
    z.object({ id, event: z.string().min(1).max(200), count: z.number().int().min(1).max(100_000) }),
  ),
  'endpoints.resendFailed': method<{ resent: number }>()(z.object({ id, since: z.number().int().min(0) })),
  'messages.resend': method<MessageView>()(z.object({ id: z.number().int().positive() })),
  'signature.diagnose': method<Diagnosis>()(
    z.object({
      headers: headerPairs,
      bodyBase64: z.string().max(40_000_000),
      secrets: z.array(z.string().min(1).max(1000)).max(50).optional(),
      dialect: z.string().max(50).optional(),
    }),
  ),
  'signature.sign': method<SignedRequest>()(
    z.object({
      dialect: z.string().min(1).max(50),
      secret: z.string().min(1).max(1000),
      bodyBase64: z.string().max(40_000_000),
      timestamp: z.number().int().min(0).optional(),
      id: z.string().min(1).max(200).optional(),
      event: z.string().min(1).max(200).optional(),
      url: z.string().max(2000).optional(),
    }),
  ),
  'deliveries.diagnose': method<Diagnosis>()(z.object({ id: z.number().int().positive() })),
} as const satisfies Record<MethodName, { params: z.ZodType; result: unknown }>;

// Every listed name has a declaration and every declaration is listed.
const _namesMatch: [keyof typeof contract] extends [MethodName] ? true : never = true;
void _namesMatch;

export type Contract = typeof contract;
export type { MethodName };
export type ParamsOf<M extends MethodName> = z.input<Contract[M]['params']>;
export type ParsedParamsOf<M extends MethodName> = z.output<Contract[M]['params']>;
export type ResultOf<M extends MethodName> = Contract[M]['result'];

/** What every transport exposes to the renderer and the CLI. */
export interface Api {
  call<M extends MethodName>(method: M, params: ParamsOf<M>): Promise<ResultOf<M>>;
  subscribe(listener: (event: PushEvent) => void): () => void;
}

export type PushEvent =
  | { type: 'delivery'; delivery: DeliverySummary }
  | { type: 'release'; release: Release }
  | { type: 'activity'; entry: ActivityEntry }
  | { type: 'packages' }
  | { type: 'attempt'; attempt: AttemptView }
  | { type: 'message'; message: MessageView }
  | { type: 'endpoint'; endpoint: EndpointSummary }
  | { type: 'endpoints' };

export class ApiError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_params' | 'unknown_method' | 'conflict' | 'internal',
    message: string,
    readonly issues?: string[],
  ) {
    super(message);
  }
}

export function isMethodName(name: string): name is MethodName {
  return (METHOD_NAMES as readonly string[]).includes(name);
}

export function parseParams<M extends MethodName>(name: M, params: unknown): ParsedParamsOf<M> {
  const result = contract[name].params.safeParse(params ?? {});
  if (!result.success) {
    const issues = result.error.issues.map((i) => `${i.path.join('.') || 'params'}: ${i.message}`);
    throw new ApiError('invalid_params', `Invalid parameters for ${name}: ${issues.join('; ')}`, issues);
  }
  return result.data as ParsedParamsOf<M>;
}
