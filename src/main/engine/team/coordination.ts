/**
 * What an engine needs to share a database with other instances of itself: who runs the
 * singleton roles, and how its live events reach the others. Alone on SQLite: every role here,
 * no bridge. On PostgreSQL: see pg-coordination.ts.
 */
import type { EngineBus } from '../bus';
import { localRoleLock, type RoleLock } from './role-lock';

export interface BusBridge {
  /** Resolves once events from the other instances arrive here. */
  ready: Promise<void>;
  /** Sends what is still queued (briefly), then stops relaying. */
  close(): Promise<void>;
}

export interface Coordination {
  roles: RoleLock;
  /** Relays this bus's events to the other instances and theirs onto it; null when there are no others. */
  bridgeBus(bus: EngineBus): BusBridge | null;
}

export function localCoordination(): Coordination {
  return { roles: localRoleLock(), bridgeBus: () => null };
}
