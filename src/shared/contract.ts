import { z } from 'zod';
import { METHOD_NAMES, type MethodName } from './methods';
import { id, limit, method } from './contract-method';
import { inboxMethods } from './inbox-contract';
import { storageMethods } from './storage-contract';
import { transferMethods } from './transfer-contract';
import { tunnelMethods } from './tunnel-contract';
import { accessMethods } from './access-contract';
import { listMethods } from './list-contract';
import { pageParams, type Page } from './paging';
import { retentionMethods } from './retention-contract';
import { windowMethods } from './window-contract';
import { deliveryFilter } from './delivery-filter';
import type { CatchUpResult, ConnectionAdded, ConnectionSummary, HookRotation, PackageConnected, PackageRemoved, PingResult, ProviderDeliveries, UpstreamCheck } from './types';
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
  FixtureDetail,
  FixtureSummary,
  PackageCreated,
  CapturedView,
  RevealedHeader,
  ReplayPreview,
  ReplayView,
  PackageSummary,
  SecretsReset,
  Release,
  ServerInfo,
  SignedRequest,
  TunnelGap,
  TunnelStatus,
} from './types';
import type { DeliveryDeletion } from './storage-types';
import type { InboxForwardResult } from './inbox-types';

/**
 * The engine API, declared once (inboxes and storage in their own files beside it). Electron IPC, the HTTP control API and the CLI
 * are adapters over this map; params are validated at every boundary.
 */
const capturedRef = z.string().regex(/^((delivery|attempt|fixture):)?\d+$/, 'expected a delivery id, attempt:ID or fixture:ID');

const replayFields = z.object({
  to: z.string().url().max(2000).optional(),
  packageId: id.optional(),
  /** Into an inbox of this Hookbench, with the capture's method and path. */
  inboxId: z.string().min(1).max(200).optional(),
  mode: z.enum(['exact', 'resign', 'edit']),
  dialect: z.string().max(50).optional(),
  secret: z.string().max(1000).optional(),
  newId: z.boolean().optional(),
  bodyBase64: z.string().max(40_000_000).optional(),
  headers: z.array(z.tuple([z.string().min(1).max(1000), z.string().max(100_000)])).max(10_000).optional(),
});

const headerPairs = z.array(z.tuple([z.string().max(1000), z.string().max(100_000)])).max(20_000);
const fixtureEdits = z.object({ bodyBase64: z.string().max(40_000_000).optional(), headers: headerPairs.optional(), event: z.string().max(200).nullable().optional() });

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
  'packages.remove': method<PackageRemoved>()(z.object({ id })),
  'connections.add': method<ConnectionAdded>()(
    z.object({
      provider: z.enum(['github', 'gitlab']),
      token: z.string().min(1).max(1000),
      /** github.com / gitlab.com when absent; a self-hosted server's address otherwise. */
      baseUrl: z.string().url().max(2000).optional(),
    }),
  ),
  'connections.list': method<ConnectionSummary[]>()(z.object({})),
  'connections.remove': method<{ removed: true; detachedPackages: string[] }>()(z.object({ id })),
  'packages.addFromConnection': method<PackageConnected>()(
    z.object({
      connectionId: id,
      repo: z.string().regex(/^[^/\s]+(\/[^/\s]+)+$/, 'expected OWNER/NAME'),
      name: z.string().min(1).max(200).optional(),
    }),
  ),
  'packages.rotate': method<HookRotation>()(
    z.object({
      id,
      /** Manage the hook through this connection from now on (e.g. one re-added with the missing permission). */
      connectionId: id.optional(),
      /** Packages without a connection: how long the old secret keeps verifying (default 24 h). */
      overlapSeconds: z.number().int().min(0).max(30 * 86400).optional(),
    }),
  ),
  'packages.ping': method<PingResult>()(z.object({ id, waitMs: z.number().int().min(0).max(120_000).default(10_000) })),
  'packages.providerDeliveries': method<ProviderDeliveries>()(
    z.object({ id, limit: z.number().int().min(1).max(100).default(30), cursor: z.string().max(500).optional() }),
  ),
  'packages.catchUp': method<CatchUpResult>()(z.object({ id, redeliver: z.boolean().default(true), reconcile: z.boolean().default(true) })),
  'packages.checkUpstream': method<UpstreamCheck[]>()(z.object({ id: id.optional() })),
  'releases.list': method<Release[]>()(z.object({ packageId: id })),
  'deliveries.list': method<DeliverySummary[]>()(
    /** offset: start that many matching deliveries down (a jump deep into the list), instead of paging there. */
    deliveryFilter.extend({ beforeId: z.number().int().positive().optional(), offset: z.number().int().min(0).max(100_000_000).optional(), limit }),
  ),
  'deliveries.page': method<Page<DeliverySummary>>()(deliveryFilter.extend(pageParams)),
  'deliveries.count': method<{ count: number }>()(deliveryFilter),
  'deliveries.get': method<DeliveryDetail>()(z.object({ id: z.number().int().positive() })),
  /** By ids or by filter (at least one of them), in small transactions; rows a release or fixture links to are kept unless includeLinked. */
  'deliveries.delete': method<DeliveryDeletion>()(
    deliveryFilter
      .extend({ ids: z.array(z.number().int().positive()).min(1).max(100_000).optional(), dryRun: z.boolean().default(false), includeLinked: z.boolean().default(false) })
      .refine((p) => p.ids !== undefined || Object.entries(p).some(([k, v]) => v !== undefined && !['dryRun', 'includeLinked'].includes(k)), {
        message: 'name the deliveries to delete: ids, or a filter (package, outcome, time, …)',
      }),
  ),
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
      /** A stored delivery whose package's (or inbox's) secrets the engine checks with, never returning them; its hidden headers are filled in from it. */
      storedSecretsOf: z.number().int().positive().optional(),
    }),
  ),
  'signature.sign': method<SignedRequest>()(
    z.object({
      dialect: z.string().min(1).max(50),
      secret: z.string().min(1).max(1000),
      bodyBase64: z.string().max(40_000_000),
      /** Unix seconds, or (Repsy) the ISO 8601 text exactly as a captured request carried it. */
      timestamp: z.union([z.number().int().min(0), z.string().min(1).max(64)]).optional(),
      id: z.string().min(1).max(200).optional(),
      event: z.string().min(1).max(200).optional(),
      url: z.string().max(2000).optional(),
    }),
  ),
  'deliveries.diagnose': method<Diagnosis>()(z.object({ id: z.number().int().positive() })),
  'captured.get': method<CapturedView>()(z.object({ ref: capturedRef })),
  /** A credential header's value, shown hidden everywhere else; each reveal is written to the activity feed. */
  'captured.reveal': method<RevealedHeader>()(
    z.object({ ref: capturedRef, header: z.string().min(1).max(1000), via: z.enum(['ui', 'cli', 'api']).default('api') }),
  ),
  'replay.run': method<ReplayView>()(replayFields.extend({ ref: capturedRef })),
  'replay.preview': method<ReplayPreview>()(replayFields.extend({ ref: capturedRef })),
  'replay.list': method<ReplayView[]>()(z.object({ source: capturedRef.optional(), limit })),
  'fixtures.library': method<{ key: string; dialect: string; event: string; description: string }[]>()(z.object({})),
  'fixtures.save': method<FixtureDetail>()(
    /** edits: save an edited copy of ref, headers as changes (a HIDDEN value keeps the stored one, an empty one drops it). */
    z.object({ name: z.string().min(1).max(200).optional(), ref: capturedRef.optional(), libraryKey: z.string().max(300).optional(), edits: fixtureEdits.optional() }),
  ),
  'fixtures.list': method<FixtureSummary[]>()(z.object({})),
  'fixtures.get': method<FixtureDetail>()(z.object({ id: z.number().int().positive() })),
  'fixtures.remove': method<{ removed: true }>()(z.object({ id: z.number().int().positive() })),
  /** At an endpoint (signed as it signs), a URL (a replay), a package's hook (its secret) or an inbox (with its method and path). */
  'fixtures.fire': method<{ replay: ReplayView | null; message: MessageView | null }>()(
    z.object({
      id: z.number().int().positive(),
      endpointId: id.optional(),
      to: z.string().url().max(2000).optional(),
      packageId: id.optional(),
      inboxId: z.string().min(1).max(200).optional(),
      mode: z.enum(['exact', 'resign']).optional(),
      secret: z.string().max(1000).optional(),
      dialect: z.string().max(50).optional(),
    }),
  ),
  /** New secrets for every hook and endpoint whose secret the key file no longer opens. */
  'secrets.reset': method<SecretsReset>()(z.object({})),
  ...tunnelMethods,
  ...transferMethods,
  ...storageMethods,
  ...inboxMethods,
  ...accessMethods,
  ...listMethods,
  ...retentionMethods,
  ...windowMethods,
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
  | { type: 'endpoints' }
  | { type: 'progress'; task: string; done: number; total: number | null }
  | { type: 'tunnel'; status: TunnelStatus }
  /** A window in which no stream of the tunnel's channel was read: deliveries in it may be lost. */
  | { type: 'tunnel_gap'; gap: TunnelGap }
  /** An inbox capture's forward to one target was tried: its state and the target's answer now. */
  | { type: 'forward'; deliveryId: number; forward: InboxForwardResult }
  /**
   * What an event of type `of` feeds is to be read again: another instance's event was too
   * large to relay whole, or (`all`) events may have been missed while instances were cut off.
   * endpointId / deliveryId narrow it when the original event named one.
   */
  | { type: 'reload'; of: Exclude<PushEvent['type'], 'reload'> | 'all'; endpointId?: string; deliveryId?: number };

export class ApiError extends Error {
  constructor(
    readonly code: 'not_found' | 'invalid_params' | 'unknown_method' | 'conflict' | 'internal' | 'unauthorised' | 'forbidden' | 'unavailable',
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
