import type { Provider, HookStatus, PackageCreated, DeliveryOutcome, DeliverySummary } from './types';

export type TunnelState = 'disconnected' | 'connecting' | 'connected' | 'reconnecting' | 'stalled';

/** The smee tunnel, as the process holding its connection sees it. */
export interface TunnelStatus {
  state: TunnelState;
  /** The smee channel events are read from; null until one is created. */
  channelUrl: string | null;
  server: string | null;
  /** Off after tunnel.disconnect, until tunnel.connect. */
  enabled: boolean;
  /** Hook URLs through the tunnel are this plus "/hooks/<hook id>" (smee carries the query, not a path). */
  hookUrlBase: string | null;
  /** Whether hook URLs point at the tunnel now (the receiver's public URL is the tunnel's). */
  hookUrlsViaTunnel: boolean;
  /** Since when the current connection is up; null while it is not. */
  connectedAt: number | null;
  /** When a connection was last up (kept after it drops or is turned off), and when it last went down. */
  lastConnectedAt: number | null;
  disconnectedAt: number | null;
  lastEventAt: number | null;
  lastPingAt: number | null;
  /** When smee received the last event stored (smee's clock): where a gap opens if a burst was under way. */
  lastRelayedAt: number | null;
  /** Until when a stream was known to be read: where a gap after a restart begins. */
  readUntil: number | null;
  lastError: string | null;
  lastErrorAt: number | null;
  /** Successful reconnections since the tunnel was started. */
  reconnects: number;
  /** While reconnecting: when the next attempt is due. */
  nextRetryAt: number | null;
  /** Events taken from the channel, and those that could not be stored (no hook id, unknown hook). */
  events: number;
  dropped: number;
  /** Windows when no stream was read (drops, stalls, Hookbench not running), newest first. */
  gaps: TunnelGap[];
  /** live: reported by the process holding the connection; saved: as that process (pid) last saved it. */
  source: 'live' | 'saved';
  pid: number | null;
  updatedAt: number;
}

/** A hook whose deliveries went through the tunnel, and what to do about a gap. */
export interface TunnelGapHook {
  packageId: string;
  packageName: string;
  provider: Provider;
  repo: string;
  hookId: string;
  /** Hookbench manages the hook upstream: catch-up can redeliver and reconcile tags. */
  managed: boolean;
  /** What to do: run catch-up, or how to redeliver at the provider. */
  advice: string;
}

/**
 * A window in which smee relayed to no one Hookbench was reading: deliveries sent then
 * were answered 200 by smee and are gone (smee keeps nothing).
 */
export interface TunnelGap {
  /** When the stream was last known to deliver (or the previous process last did). */
  from: number;
  /** When a stream was open again. */
  to: number;
  cause: 'dropped' | 'stalled' | 'not running';
  hooks: TunnelGapHook[];
  /** When catch-up ran for the managed hooks of this gap. */
  caughtUpAt: number | null;
}

/** What `tunnel.catchUp` did for the gaps not yet caught up. */
export interface TunnelCatchUp {
  /** Catch-up (redeliver, then tag reconciliation) for each managed package at risk. */
  caughtUp: CatchUpResult[];
  failed: { packageId: string; reason: string }[];
  /** Packages Hookbench does not manage upstream: redeliver at the provider, as each says. */
  byHand: TunnelGapHook[];
  gaps: TunnelGap[];
}

export interface TunnelCreated {
  channelUrl: string;
  server: string;
  hookUrlBase: string;
  hookUrlsViaTunnel: boolean;
  /** What to know about this tunnel: where hook URLs point, and what smee cannot carry. */
  notes: string[];
  status: TunnelStatus;
  /** Every hook whose URL changed with it, and what became of each upstream. */
  hooks: HookUrlChange[];
}

/** `tunnel.remove`: the channel is forgotten and hook URLs go back to the direct receiver address. */
export interface TunnelRemoved {
  /** The channel that was removed; null when there was none. */
  channelUrl: string | null;
  /** Hook URLs now start with this (the configured public URL, or the receiver's own address). */
  hookUrlBase: string;
  notes: string[];
  status: TunnelStatus;
  hooks: HookUrlChange[];
}

/**
 * One package's hook URL before and after the receiver's public address changed.
 * updated: changed on the provider through its connection; failed: the provider refused (detail says
 * why and how to fix it); manual: no connection manages the hook, so the new URL must be pasted by hand.
 */
export interface HookUrlChange {
  packageId: string;
  packageName: string;
  provider: Provider;
  repo: string;
  oldUrl: string;
  newUrl: string;
  outcome: 'updated' | 'failed' | 'manual';
  detail: string;
}

/** Provider connections and the hooks Hookbench manages through them. */
export interface ConnectionSummary {
  id: string;
  provider: Provider;
  /** The REST root the token is used against. */
  baseUrl: string;
  /** Who the token belongs to. */
  login: string;
  accountId: string | null;
  /** null when the provider does not list them (GitHub fine-grained tokens). */
  scopes: string[] | null;
  /** Whether the scopes allow creating and deleting hooks; null when only trying will tell. */
  canManageHooks: boolean | null;
  serverVersion: string | null;
  expiresAt: number | null;
  createdAt: number;
  packages: number;
}

export interface ConnectionAdded extends ConnectionSummary {
  /** What the token may not be able to do, and how to fix it. */
  warnings: string[];
}

export interface HookUpstream {
  providerHookId: string | null;
  /** The next rotation step (and where a failed rotation stopped); null when no rotation is under way. */
  rotationStep: 'delete_old' | 'create_new' | null;
  rotationError: string | null;
  /** The previous secret still verifies: until this time, or (null) until the new upstream hook exists. */
  previousSecretValid: boolean;
  previousSecretExpiresAt: number | null;
  checkedAt: number | null;
}

export interface PackageConnected extends PackageCreated {
  connectionId: string;
  repo: string;
  repoId: string;
  /** False when the hook could not be created upstream; hook.statusReason says what is missing and how to fix it. */
  registered: boolean;
  hook: { status: HookStatus; statusReason: string | null; providerHookId: string | null };
}

export interface HookRotation {
  id: string;
  /** upstream: Hookbench re-created the hook through the connection; manual: paste the new secret yourself. */
  mode: 'upstream' | 'manual';
  completed: boolean;
  /** Where an unfinished rotation stopped; run the rotation again to resume from there. */
  stoppedAt: 'delete_old' | 'create_new' | null;
  error: string | null;
  hookUrl: string;
  /** Shown once. */
  secret: string;
  signingToken: string;
  providerHookId: string | null;
  /** The previous secret keeps verifying until then (manual), or until the new hook exists (upstream: null). */
  previousSecretValidUntil: number | null;
  message: string;
}

export interface PingResult {
  id: string;
  requestedAt: number;
  arrived: boolean;
  verified: boolean;
  delivery: DeliverySummary | null;
  /** What the provider recorded for the ping, when it did not arrive. */
  provider: ProviderDelivery | null;
  message: string;
}

export interface ProviderDelivery {
  id: string;
  guid: string;
  /** null when the provider does not say (GitLab). */
  deliveredAt: number | null;
  redelivery: boolean;
  event: string;
  action: string | null;
  statusCode: number;
  status: string;
  durationMs: number | null;
  /** Hookbench's record of the same delivery id, when it has one. */
  hookbench: DeliverySummary | null;
}

export interface ProviderDeliveries {
  id: string;
  provider: Provider;
  supported: boolean;
  message: string | null;
  deliveries: ProviderDelivery[];
  /** Pass back as cursor for the next (older) page. */
  nextCursor: string | null;
}

export interface CatchUpResult {
  id: string;
  redelivered: { guid: string; providerDeliveryId: string; event: string; tag: string | null }[];
  /** Failed provider deliveries not redelivered, and why. */
  notRedelivered: { guid: string; event: string; reason: string }[];
  tagsSeen: number;
  reconciled: { tag: string; deliveryId: number; outcome: DeliveryOutcome; releaseId: number | null; reason: string | null }[];
  notSemver: string[];
  messages: string[];
}

export interface UpstreamCheck {
  packageId: string;
  checked: boolean;
  status: HookStatus;
  statusReason: string | null;
  changed: boolean;
  error: string | null;
}

export interface PackageRemoved {
  removed: true;
  /** What happened to the hook on the provider: deleted, already gone, not managed by Hookbench, or could not be deleted. */
  upstream: 'deleted' | 'gone' | 'none' | 'failed';
  message: string;
}
