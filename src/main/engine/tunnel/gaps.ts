/**
 * Gaps: windows in which no stream of the channel was read. smee answers the provider
 * 200 and keeps nothing, so whatever was sent then is gone unless it is asked for again.
 * Each gap names its window, the hooks that could have lost deliveries in it, and what
 * to do for each: catch-up for hooks Hookbench manages, the provider's redeliver button
 * for the others. Gaps are kept in settings, so `tunnel status` in another process and a
 * restarted one see them.
 */
import type { TunnelGap, TunnelGapHook } from '../../../shared/types';
import type { HookAtRiskRow } from './statements';
import type { SettingsView } from './tunnel-store';

const GAPS_KEY = 'tunnel.gaps';
/** Gaps kept, newest first. */
const KEEP = 20;
/** Longer than this, a gap is worth a desktop notification (the shell decides). */
export const NOTIFY_GAP_MS = 60_000;

export const iso = (ms: number) => new Date(ms).toISOString();

/** Events taken this close to the moment reading stopped mean a burst was under way. */
const FLOWING_MS = 1_000;

/**
 * smee stamps an event when it arrives and writes it to the stream after; events arriving
 * together can reach the stream a little out of their stamped order.
 */
const RELAY_REORDER_MS = 1_000;

/**
 * Where a gap begins. Reading stopped at `stoppedAt`; but if events were flowing then, those
 * smee had relayed after the last one taken were still on their way (in the socket, behind a
 * backlog) and are lost too, as are those taken but not yet stored: the window then opens when
 * smee relayed the last event stored, less what smee may have reordered.
 */
export function gapStart(stoppedAt: number, lastTakenAt: number | null, lastRelayedAt: number | null): number {
  if (lastTakenAt === null || stoppedAt - lastTakenAt > FLOWING_MS) return stoppedAt;
  // The mark may not have been saved yet (a process killed within a second of starting to read).
  return Math.min(stoppedAt, lastRelayedAt ?? stoppedAt) - RELAY_REORDER_MS;
}

export function duration(ms: number): string {
  if (ms < 1_000) return `${Math.max(0, Math.round(ms))} ms`;
  if (ms < 120_000) return `${(ms / 1000).toFixed(1)} s`;
  if (ms < 7_200_000) return `${Math.round(ms / 60_000)} min`;
  return `${(ms / 3_600_000).toFixed(1)} h`;
}

export function gapsOf(setting: SettingsView): TunnelGap[] {
  try {
    const parsed: unknown = JSON.parse(setting(GAPS_KEY) ?? '[]');
    return Array.isArray(parsed) ? (parsed as TunnelGap[]) : [];
  } catch {
    return [];
  }
}

/** What saving the gaps changes (the newest kept). */
export const gapsSetting = (gaps: TunnelGap[]) => ({ [GAPS_KEY]: JSON.stringify(gaps.slice(0, KEEP)) });

function adviceFor(hook: Omit<TunnelGapHook, 'advice'>, from: number, to: number): string {
  const when = `between ${iso(from)} and ${iso(to)}`;
  if (hook.managed) {
    return `Run catch-up ("hookbench tunnel catch-up", or Catch up on the Tunnel page): it asks ${hook.provider === 'github' ? 'GitHub' : 'GitLab'} to redeliver and ingests tags that never arrived.`;
  }
  return hook.provider === 'github'
    ? `On GitHub, ${hook.repo} → Settings → Webhooks → the hook → Recent Deliveries: redeliver those sent ${when} (GitHub shows them as delivered: smee answered 200).`
    : `On GitLab, ${hook.repo} → Settings → Webhooks → Edit → Recent events: resend those sent ${when}.`;
}

/** The hooks that could have lost deliveries (hooksOfPackages: every hook when hook URLs point at the tunnel, else those that have had tunnel deliveries). */
export function hooksAtRisk(rows: HookAtRiskRow[], from: number, to: number): TunnelGapHook[] {
  return rows.map(({ managed, ...r }) => {
    const hook = { ...r, managed: managed === 1 };
    return { ...hook, advice: adviceFor(hook, from, to) };
  });
}

const CAUSE: Record<TunnelGap['cause'], string> = {
  dropped: 'the stream dropped',
  stalled: 'the stream went silent',
  'not running': 'Hookbench was not reading the channel (stopped, or the tunnel turned off)',
};

/** The feed's words for a gap. */
export function describeGap(gap: TunnelGap): string {
  const head = `Tunnel gap of ${duration(gap.to - gap.from)} (${CAUSE[gap.cause]}): from ${iso(gap.from)} to ${iso(gap.to)} no stream was read, ` + 'and smee relayed what arrived then to no one.';
  if (gap.hooks.length === 0) return `${head} No package's hook has used the tunnel yet.`;
  const managed = gap.hooks.filter((h) => h.managed);
  const others = gap.hooks.filter((h) => !h.managed);
  return [
    head,
    `Could have lost deliveries: ${gap.hooks.map((h) => h.packageName).join(', ')}.`,
    ...(managed.length ? [`${managed.map((h) => h.packageName).join(', ')}: ${managed[0]!.advice}`] : []),
    ...others.map((h) => `${h.packageName}: ${h.advice}`),
  ].join(' ');
}
