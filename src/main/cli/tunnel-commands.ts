import type { HookUrlChange, TunnelCatchUp, TunnelGap, TunnelStatus } from '../../shared/types';
import type { Command } from './context';
import { time } from './output';
import { optional } from './option-values';

const ago = (ms: number | null, now = Date.now()) => (ms === null ? '-' : `${time(ms)} (${Math.max(0, Math.round((now - ms) / 1000))} s ago)`);

/** Up since when; or, once down, when it was last up and when it went down, never a bare "never". */
function connectedLine(s: TunnelStatus): string {
  if (s.connectedAt !== null) return `since ${ago(s.connectedAt)}`;
  if (s.lastConnectedAt === null) return 'never';
  return `not now; last connected ${ago(s.lastConnectedAt)}${s.disconnectedAt !== null ? `, disconnected at ${time(s.disconnectedAt)}` : ''}`;
}

const OUTCOME: Record<HookUrlChange['outcome'], string> = { updated: 'updated upstream', failed: 'NOT updated upstream', manual: 'repaste by hand' };

/** Every hook whose URL moved: old → new, and what became of it (or what to do). */
export function describeHookChanges(changes: HookUrlChange[]): string {
  if (changes.length === 0) return 'No package hook URL changed.';
  const byHand = changes.filter((c) => c.outcome !== 'updated').length;
  return [
    `Hook URLs that changed (${changes.length}; ${changes.length - byHand} updated upstream, ${byHand} need you):`,
    ...changes.flatMap((c) => [`  ${c.packageName} (${c.provider} ${c.repo}, ${c.packageId}): ${OUTCOME[c.outcome]}`, `    ${c.oldUrl}`, `    → ${c.newUrl}`, `    ${c.detail}`]),
  ].join('\n');
}

const seconds = (ms: number) => (ms < 1_000 ? `${ms} ms` : ms < 120_000 ? `${(ms / 1000).toFixed(1)} s` : `${Math.round(ms / 60_000)} min`);
const CAUSE: Record<TunnelGap['cause'], string> = { dropped: 'stream dropped', stalled: 'stream went silent', 'not running': 'not running' };

/** The latest gaps, each with its window, who is at risk and what to do. */
function describeGaps(gaps: TunnelGap[]): string[] {
  if (gaps.length === 0) return [];
  const lines = [`  gaps         ${gaps.length} recorded (no stream read, so smee's deliveries then reached no one); latest first:`];
  for (const g of gaps.slice(0, 3)) {
    lines.push(`    ${time(g.from)} → ${time(g.to)}  ${seconds(g.to - g.from)}, ${CAUSE[g.cause]}${g.caughtUpAt !== null ? `, caught up ${time(g.caughtUpAt)}` : ''}`);
    for (const h of g.hooks) lines.push(`      ${h.packageName}: ${h.managed && g.caughtUpAt !== null ? 'caught up.' : h.advice}`);
  }
  return lines;
}

export function describeTunnel(s: TunnelStatus): string {
  if (!s.channelUrl) return 'No tunnel yet. Create one with: hookbench tunnel create [--server URL]';
  const held = s.source === 'live' ? 'this process' : s.pid !== null ? `hookbench process ${s.pid}` : 'no running Hookbench';
  return [
    `Tunnel ${s.state}${s.enabled ? '' : ' (turned off)'}  — reported by ${held}`,
    `  channel      ${s.channelUrl}  (server ${s.server ?? '-'})`,
    `  hook URLs    ${s.hookUrlBase}/hooks/<hook id>${s.hookUrlsViaTunnel ? '' : '  (not in use: hook URLs point at the configured public URL)'}`,
    `  connected    ${connectedLine(s)}`,
    `  last event   ${ago(s.lastEventAt)}   events ${s.events}, dropped ${s.dropped}`,
    `  last ping    ${ago(s.lastPingAt)}`,
    `  reconnects   ${s.reconnects}${s.nextRetryAt !== null ? `, next attempt ${time(s.nextRetryAt)}` : ''}`,
    ...(s.lastError ? [`  last error   ${s.lastError} (${time(s.lastErrorAt)})`] : []),
    ...describeGaps(s.gaps ?? []),
    ...(s.state === 'disconnected' && s.enabled && s.source === 'saved' ? ['', 'Start "hookbench serve" to connect it; a running serve picks it up within seconds.'] : []),
  ].join('\n');
}

export const tunnelCommands: Record<string, Command> = {
  async create(ctx) {
    const server = optional(ctx, 'server');
    const created = await ctx.call('tunnel.create', server ? { server } : {});
    ctx.out.data(created, () =>
      [
        `Tunnel channel created: ${created.channelUrl}`,
        `Hook URLs through it:   ${created.hookUrlBase}/hooks/<hook id>`,
        '',
        ...created.notes.map((n) => `- ${n}`),
        '',
        describeHookChanges(created.hooks),
        '',
        created.status.source === 'live' ? describeTunnel(created.status) : 'A running "hookbench serve" connects to it within seconds; otherwise start one.',
      ].join('\n'),
    );
  },
  async status(ctx) {
    const status = await ctx.call('tunnel.status', {});
    ctx.out.data(status, () => describeTunnel(status));
  },
  async 'catch-up'(ctx) {
    const result: TunnelCatchUp = await ctx.call('tunnel.catchUp', {});
    ctx.out.data(result, () =>
      [
        result.caughtUp.length + result.failed.length === 0 ? 'No package managed through a connection is at risk from a tunnel gap.' : '',
        ...result.caughtUp.map((r) => `${r.id}: ${r.redelivered.length} redelivered, ${r.reconciled.length} tag(s) reconciled. ${r.messages.join(' ')}`),
        ...result.failed.map((f) => `${f.packageId}: not caught up: ${f.reason}`),
        ...(result.byHand.length ? ['', 'Not managed by Hookbench; redeliver at the provider:', ...result.byHand.map((h) => `- ${h.packageName}: ${h.advice}`)] : []),
      ]
        .filter((line, i) => line !== '' || i > 0)
        .join('\n'),
    );
  },
  async connect(ctx) {
    const status = await ctx.call('tunnel.connect', {});
    ctx.out.data(status, () => `Tunnel turned on; a running "hookbench serve" connects to ${status.channelUrl} within seconds.`);
  },
  async disconnect(ctx) {
    const status = await ctx.call('tunnel.disconnect', {});
    const through = status.hookUrlsViaTunnel ? (await ctx.call('packages.list', {})).length : 0;
    ctx.out.data(status, () =>
      [
        'Tunnel turned off; a running "hookbench serve" disconnects within seconds.',
        through
          ? `${through} package hook URL(s) still point at ${status.hookUrlBase}/hooks/<hook id>: what providers send there while it is off is lost (smee keeps nothing; "hookbench package catch-up ID" recovers tags later).`
          : 'No package hook URL points at the channel.',
        'Turn it on again with "hookbench tunnel connect", or go back to direct hook URLs with "hookbench tunnel remove".',
      ].join('\n'),
    );
  },
  async remove(ctx) {
    const removed = await ctx.call('tunnel.remove', {});
    ctx.out.data(removed, () =>
      [
        removed.channelUrl ? `Tunnel removed: ${removed.channelUrl} is no longer read.` : 'There was no tunnel.',
        `Hook URLs now start with ${removed.hookUrlBase}/hooks/.`,
        ...removed.notes.map((n) => `- ${n}`),
        '',
        describeHookChanges(removed.hooks),
      ].join('\n'),
    );
  },
};
