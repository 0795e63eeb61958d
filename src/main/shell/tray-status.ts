import type { PushEvent } from '../../shared/contract';
import type { EndpointSummary, TunnelState, TunnelStatus } from '../../shared/types';

/**
 * What the tray shows: the tunnel's state and the endpoints that are failing, kept
 * current from the engine's push events. Plain data in, plain data out.
 */

export interface EndpointHealth {
  id: string;
  name: string;
  active: boolean;
  consecutiveFailures: number;
  disabledReason: string | null;
}

/** none: no smee channel configured; off: configured but switched off (tunnel.disconnect). */
export type TunnelView = 'none' | 'off' | TunnelState;

export interface ShellStatus {
  tunnel: TunnelView;
  tunnelError: string | null;
  failing: EndpointHealth[];
  endpoints: number;
}

export type TrayLevel = 'idle' | 'ok' | 'alert';

/** Disabled (by the dispatcher or by hand), or its latest attempts failed. */
export function isFailing(endpoint: EndpointHealth): boolean {
  return !endpoint.active || endpoint.consecutiveFailures > 0;
}

export function healthOf(e: EndpointSummary): EndpointHealth {
  return { id: e.id, name: e.name, active: e.active, consecutiveFailures: e.consecutiveFailures, disabledReason: e.disabledReason };
}

export function tunnelView(status: TunnelStatus | null): TunnelView {
  if (!status || !status.channelUrl) return 'none';
  if (!status.enabled) return 'off';
  return status.state;
}

export interface Applied {
  /** The status the tray shows changed. */
  changed: boolean;
  /** For an endpoint event: how that endpoint stood before it (undefined if unseen). */
  previous?: EndpointHealth | undefined;
  /** Endpoints were added or removed: the list must be read again. */
  reloadEndpoints: boolean;
}

export class StatusTracker {
  private readonly endpoints = new Map<string, EndpointHealth>();
  private tunnel: TunnelStatus | null = null;

  setEndpoints(list: EndpointSummary[]): void {
    this.endpoints.clear();
    for (const e of list) this.endpoints.set(e.id, healthOf(e));
  }

  setTunnel(status: TunnelStatus): void {
    this.tunnel = status;
  }

  endpoint(id: string): EndpointHealth | undefined {
    return this.endpoints.get(id);
  }

  apply(event: PushEvent): Applied {
    switch (event.type) {
      case 'tunnel': {
        const before = tunnelView(this.tunnel);
        const beforeError = this.tunnel?.lastError ?? null;
        this.tunnel = event.status;
        return { changed: before !== tunnelView(event.status) || beforeError !== (event.status.lastError ?? null), reloadEndpoints: false };
      }
      case 'endpoint': {
        const previous = this.endpoints.get(event.endpoint.id);
        const next = healthOf(event.endpoint);
        this.endpoints.set(next.id, next);
        const changed = !previous || isFailing(previous) !== isFailing(next) || previous.name !== next.name;
        return { changed, previous, reloadEndpoints: false };
      }
      case 'endpoints':
        return { changed: false, reloadEndpoints: true };
      default:
        return { changed: false, reloadEndpoints: false };
    }
  }

  status(): ShellStatus {
    const failing = [...this.endpoints.values()].filter(isFailing).sort((a, b) => a.name.localeCompare(b.name));
    return { tunnel: tunnelView(this.tunnel), tunnelError: this.tunnel?.lastError ?? null, failing, endpoints: this.endpoints.size };
  }
}

const TUNNEL_TEXT: Record<TunnelView, string> = {
  none: 'No tunnel',
  off: 'Tunnel off',
  disconnected: 'Tunnel disconnected',
  connecting: 'Tunnel connecting…',
  connected: 'Tunnel connected',
  reconnecting: 'Tunnel reconnecting…',
  stalled: 'Tunnel stalled',
};

export function tunnelText(view: TunnelView): string {
  return TUNNEL_TEXT[view];
}

export function failingText(count: number): string {
  if (count === 0) return 'All endpoints healthy';
  return count === 1 ? '1 endpoint failing' : `${count} endpoints failing`;
}

export function trayLevel(status: ShellStatus): TrayLevel {
  if (status.failing.length > 0 || status.tunnel === 'stalled') return 'alert';
  if (status.tunnel === 'connected') return 'ok';
  return 'idle';
}

export function trayTooltip(status: ShellStatus): string {
  return `Hookbench — ${tunnelText(status.tunnel).toLowerCase()} · ${failingText(status.failing.length).toLowerCase()}`;
}

export type TrayAction = 'show' | 'endpoints' | 'tunnel-connect' | 'tunnel-disconnect' | 'quit';
export type TrayItem = { type: 'separator' } | { type: 'item'; label: string; enabled: boolean; action?: TrayAction };

const MAX_NAMED = 5;

/** The tray's context menu as data: status lines (inert), then what can be done. */
export function trayMenuModel(status: ShellStatus, clean: (text: string) => string = (t) => t): TrayItem[] {
  const items: TrayItem[] = [];
  items.push({ type: 'item', label: tunnelText(status.tunnel), enabled: false });
  items.push({ type: 'item', label: failingText(status.failing.length), enabled: false });
  for (const e of status.failing.slice(0, MAX_NAMED)) {
    items.push({ type: 'item', label: `  ${clean(e.name)} — ${e.active ? `${e.consecutiveFailures} failed in a row` : 'disabled'}`, enabled: false });
  }
  if (status.failing.length > MAX_NAMED) items.push({ type: 'item', label: `  and ${status.failing.length - MAX_NAMED} more`, enabled: false });
  items.push({ type: 'separator' });
  items.push({ type: 'item', label: 'Show Hookbench', enabled: true, action: 'show' });
  if (status.endpoints > 0) items.push({ type: 'item', label: 'Open Endpoints', enabled: true, action: 'endpoints' });
  if (status.tunnel === 'off') items.push({ type: 'item', label: 'Connect Tunnel', enabled: true, action: 'tunnel-connect' });
  else if (status.tunnel !== 'none') items.push({ type: 'item', label: 'Disconnect Tunnel', enabled: true, action: 'tunnel-disconnect' });
  items.push({ type: 'separator' });
  items.push({ type: 'item', label: 'Quit Hookbench', enabled: true, action: 'quit' });
  return items;
}
