import { ApiError, isMethodName, parseParams, type MethodName, type ParsedParamsOf, type ResultOf } from '../../../shared/contract';
import type { EngineBus } from '../bus';
import { LOCAL_CALLER, type Caller } from '../../../shared/access-types';
import type { Access } from '../access/access';
import { createAccessHandlers } from './access-handlers';
import type { SecretsReset } from '../../../shared/types';
import type { EngineLog } from '../engine-log';
import type { Db } from '../db/open';
import type { SecretBox } from '../secrets/secret-box';
import { listActivity } from '../store/activity';
import { createOutboundHandlers } from './outbound-handlers';
import { createProviderHandlers } from './provider-handlers';
import type { Providers } from '../providers';
import type { UploadStaging } from '../replay/upload-staging';
import { createSignatureHandlers } from './signature-handlers';
import { createReplayHandlers } from './replay-handlers';
import type { Receiver } from '../receiver/server';
import type { ReceiverHook } from '../store/packages';
import { createStorageHandlers } from './storage-handlers';
import { createTunnelHandlers } from './tunnel-handlers';
import { createInboxHandlers } from './inbox-handlers';
import { createListHandlers } from './list-handlers';
import { createRetentionHandlers } from './retention-handlers';
import type { Pruner } from '../retention/pruner';
import type { DiskGuard } from '../receiver/disk-guard';
import type { Tunnel } from '../tunnel';
import { getDelivery, listDeliveries } from '../store/deliveries';
import { countDeliveriesAside } from '../store/delivery-count-aside';
import { addPackage, getPackage, listPackages, removePackage } from '../store/packages';
import { listReleases } from '../store/releases';
import { getSetting } from '../store/settings';
import { createWindowStart } from './window-start';

export type Handlers = {
  /** The caller is who asked (a named token or the local user); most methods do not need to know. */
  [M in MethodName]: (params: ParsedParamsOf<M>, caller: Caller) => ResultOf<M> | Promise<ResultOf<M>>;
};

export interface HandlerContext {
  /** Provider connections and upstream hooks; engines built without them answer those methods with an error. */
  providers?: Providers;
  db: Db;
  box: SecretBox;
  bus: EngineBus;
  dataDir: string;
  version: string;
  /** Replays into this Hookbench go through its receiver, in process. */
  receiver?: Receiver;
  lookupHook?: (hookId: string) => ReceiverHook | undefined;
  /** Something new may be due to send. */
  kickDispatcher: () => void;
  /** Files sent for import, piece by piece. */
  uploads: UploadStaging;
  /** The smee tunnel; engines built without one answer tunnel.* with an error. */
  tunnel?: Tunnel;
  /** The serving process's background pruning, told when the policy changes. */
  pruner?: Pruner;
  /** The receiver's view of the volume (storage status shows it). */
  disk?: DiskGuard;
  /** New secrets for what the key file no longer opens; engines built without it answer with an error. */
  resetSecrets?: () => SecretsReset;
  /** Named tokens, role checks and the audit log. */
  access: Access;
}

export function createHandlers(ctx: HandlerContext): Handlers {
  const { db, box, bus, dataDir, version } = ctx;
  const handlers: Omit<Handlers, 'window.start'> = {
    ...createOutboundHandlers(ctx),
    ...createProviderHandlers(ctx),
    ...createSignatureHandlers(ctx),
    ...createReplayHandlers(ctx),
    ...createTunnelHandlers(ctx),
    ...createStorageHandlers(ctx),
    ...createInboxHandlers(ctx),
    ...createAccessHandlers(ctx),
    ...createListHandlers(ctx),
    ...createRetentionHandlers(ctx),
    'server.info': () => ({ version, dataDir, receiverUrl: getSetting(db, 'receiver.url') ?? null, secretStore: box.kind }),
    'packages.add': (p) => {
      const created = addPackage(db, box, p);
      bus.publish({ type: 'packages' });
      ctx.kickDispatcher();
      return created;
    },
    'packages.list': () => listPackages(db),
    'packages.get': ({ id }) => getPackage(db, id),
    'packages.remove': async ({ id }) => {
      getPackage(db, id);
      const { upstream, outcome } = ctx.providers ? await ctx.providers.deleteUpstreamHook(id) : { upstream: 'none' as const, outcome: null };
      const message = removePackage(db, id, outcome);
      bus.publish({ type: 'packages' });
      ctx.kickDispatcher();
      return { removed: true as const, upstream, message };
    },
    'releases.list': ({ packageId }) => {
      getPackage(db, packageId);
      return listReleases(db, packageId);
    },
    'deliveries.list': (p) => listDeliveries(db, p),
    'deliveries.count': async (p) => ({ count: await countDeliveriesAside(db, p) }),
    'deliveries.get': ({ id }) => getDelivery(db, id),
    'activity.list': (p) => listActivity(db, p),
    'secrets.reset': () => {
      if (!ctx.resetSecrets) throw new ApiError('internal', 'This engine cannot reset secrets.');
      const reset = ctx.resetSecrets();
      bus.publish({ type: 'packages' });
      bus.publish({ type: 'endpoints' });
      return reset;
    },
  };
  return { ...handlers, ...createWindowStart(handlers) };
}

/** Without a caller, the local user (IPC, the CLI on the data dir): every role. */
export type Invoke = (method: string, params: unknown, caller?: Caller) => Promise<unknown>;

/**
 * The one entry every transport goes through: name checked, role checked, params validated,
 * then dispatched; every change is written to the audit log, whether it worked or not.
 * A failure nobody foresaw (not an ApiError) is written with its stack to the engine log, and
 * the caller is told where.
 */
export function createInvoker(handlers: Handlers, access: Access, log?: EngineLog): Invoke {
  return async (method, params, caller = LOCAL_CALLER) => {
    if (!isMethodName(method)) throw new ApiError('unknown_method', `Unknown method "${method}".`);
    access.check(caller, method);
    let parsed: ParsedParamsOf<typeof method>;
    try {
      parsed = parseParams(method, params);
    } catch (error) {
      access.audit(caller, method, undefined, undefined, 'invalid_params');
      throw error;
    }
    const handler = handlers[method] as (p: typeof parsed, c: Caller) => unknown;
    try {
      const result = await handler(parsed, caller);
      access.audit(caller, method, parsed, result, 'ok');
      return result;
    } catch (error) {
      access.audit(caller, method, parsed, undefined, error instanceof ApiError ? error.code : 'internal');
      if (error instanceof ApiError) throw error;
      const what = error instanceof Error ? error.message : String(error);
      log?.error(method, error);
      throw new ApiError('internal', `Unexpected error in ${method}: ${what.replace(/\.?$/, '.')}${log ? ` Its stack is in the engine log, ${log.path}.` : ''}`);
    }
  };
}
