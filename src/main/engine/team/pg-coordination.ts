import { randomUUID } from 'node:crypto';
import type { Coordination } from './coordination';
import { createPgBusBridge } from './pg-bus-bridge';
import { createPgRoleLock } from './pg-role-lock';
import { pgSessions } from './pg-session';

/**
 * Coordination through the team server's PostgreSQL database: advisory locks for the roles,
 * LISTEN/NOTIFY for live events. Each instance gets an id of its own; its sessions carry it in
 * their application_name, so pg_stat_activity tells which instance holds what.
 */
export function pgCoordination(url: string): Coordination & { instanceId: string } {
  const instanceId = randomUUID();
  return {
    instanceId,
    roles: createPgRoleLock({ connect: pgSessions(url, `role ${instanceId}`) }),
    bridgeBus: (bus) => createPgBusBridge({ bus, instanceId, connect: pgSessions(url, `events ${instanceId}`) }),
  };
}
