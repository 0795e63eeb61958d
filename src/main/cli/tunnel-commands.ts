import type { TunnelStatus } from '../../shared/types';
import type { Command } from './context';
import { time } from './output';
import { optional } from './option-values';

const ago = (ms: number | null, now = Date.now()) => (ms === null ? '-' : `${time(ms)} (${Math.max(0, Math.round((now - ms) / 1000))} s ago)`);

export function describeTunnel(s: TunnelStatus): string {
  if (!s.channelUrl) return 'No tunnel yet. Create one with: hookbench tunnel create [--server URL]';
  const held = s.source === 'live' ? 'this process' : s.pid !== null ? `hookbench process ${s.pid}` : 'no running Hookbench';
  return [
    `Tunnel ${s.state}${s.enabled ? '' : ' (turned off)'}  — reported by ${held}`,
    `  channel      ${s.channelUrl}  (server ${s.server ?? '-'})`,
    `  hook URLs    ${s.hookUrlBase}/hooks/<hook id>${s.hookUrlsViaTunnel ? '' : '  (not in use: hook URLs point at the configured public URL)'}`,
    `  connected    ${ago(s.connectedAt)}`,
    `  last event   ${ago(s.lastEventAt)}   events ${s.events}, dropped ${s.dropped}`,
    `  last ping    ${ago(s.lastPingAt)}`,
    `  reconnects   ${s.reconnects}${s.nextRetryAt !== null ? `, next attempt ${time(s.nextRetryAt)}` : ''}`,
    ...(s.lastError ? [`  last error   ${s.lastError} (${time(s.lastErrorAt)})`] : []),
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
        created.status.source === 'live' ? describeTunnel(created.status) : 'A running "hookbench serve" connects to it within seconds; otherwise start one.',
      ].join('\n'),
    );
  },
  async status(ctx) {
    const status = await ctx.call('tunnel.status', {});
    ctx.out.data(status, () => describeTunnel(status));
  },
  async connect(ctx) {
    const status = await ctx.call('tunnel.connect', {});
    ctx.out.data(status, () => `Tunnel turned on; a running "hookbench serve" connects to ${status.channelUrl} within seconds.`);
  },
  async disconnect(ctx) {
    const status = await ctx.call('tunnel.disconnect', {});
    ctx.out.data(status, () => 'Tunnel turned off; a running "hookbench serve" disconnects within seconds. Hook URLs still point at the channel.');
  },
};
