import type { Server } from 'node:http';
import type { Socket } from 'node:net';

export interface ConnectionGuardOptions {
  maxConnections: number;
  maxConnectionsPerAddress: number;
  /** Addresses that speak for many clients (trusted proxies): held only to the total. */
  exempt?: (address: string) => boolean;
}

interface Tracked {
  address: string;
  /** A request is being read or answered on it. */
  busy: boolean;
  /** It has been answered at least once: an idle keep-alive connection when not busy. */
  served: boolean;
}

/**
 * Bounds the receiver's connections in all and per address without letting idle ones lock
 * providers out: when a limit is reached, a newcomer takes the place of an idle connection
 * (a kept-alive one first, then the oldest that has not finished its headers), and is turned
 * away only when every connection in its way has a request in progress.
 * Node's own `maxConnections` would instead refuse the newcomer, whoever holds the rest.
 */
export function guardConnections(server: Server, options: ConnectionGuardOptions) {
  const all = new Map<Socket, Tracked>();
  const byAddress = new Map<string, Set<Socket>>();
  let refused = 0;
  let evicted = 0;

  /** The idle connection to give up among these, oldest first: kept-alive before half-open. */
  function idleIn(sockets: Iterable<Socket>): Socket | null {
    let halfOpen: Socket | null = null;
    for (const socket of sockets) {
      const t = all.get(socket);
      if (!t || t.busy) continue;
      if (t.served) return socket;
      halfOpen ??= socket;
    }
    return halfOpen;
  }

  function forget(socket: Socket): void {
    const t = all.get(socket);
    if (!t) return;
    all.delete(socket);
    const peers = byAddress.get(t.address);
    peers?.delete(socket);
    if (peers?.size === 0) byAddress.delete(t.address);
  }

  /** Makes room in `sockets` for one more, or says there is none. */
  function makeRoom(sockets: Iterable<Socket>): boolean {
    const victim = idleIn(sockets);
    if (!victim) return false;
    forget(victim);
    victim.destroy();
    evicted++;
    return true;
  }

  server.on('connection', (socket: Socket) => {
    const address = socket.remoteAddress ?? '';
    const peers = byAddress.get(address);
    const perAddressFull = peers !== undefined && peers.size >= options.maxConnectionsPerAddress && !options.exempt?.(address);
    if ((perAddressFull && !makeRoom(peers)) || (all.size >= options.maxConnections && !makeRoom(all.keys()))) {
      refused++;
      socket.destroy();
      return;
    }
    all.set(socket, { address, busy: false, served: false });
    if (peers) peers.add(socket);
    else byAddress.set(address, new Set([socket]));
    socket.once('close', () => forget(socket));
  });

  server.on('request', (req, res) => {
    const t = all.get(req.socket);
    if (!t) return;
    t.busy = true;
    res.once('close', () => {
      t.busy = false;
      t.served = true;
    });
  });

  return {
    stats: () => ({ open: all.size, addresses: byAddress.size, refused, evicted }),
  };
}
