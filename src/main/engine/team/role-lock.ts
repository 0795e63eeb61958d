/**
 * Roles that must run in one process at a time for a database: the tunnel (one smee reader),
 * the provider monitor (one periodic upstream check) and the pruner (one retention run). The engine starts and stops them
 * only through a RoleLock, so it does not know whether it is alone (SQLite, a desktop or one
 * `serve`) or one instance of several on a shared database (PostgreSQL, see pg-role-lock.ts).
 */
export type RoleName = 'tunnel' | 'provider-monitor' | 'pruner';

export interface RoleCallbacks {
  /** This process now holds the role: start it. */
  onAcquired(): void | Promise<void>;
  /** This process no longer holds the role (released, or its hold broke): stop it at once. */
  onLost(): void | Promise<void>;
}

export interface RoleHandle {
  /** Whether the role runs here now. */
  holding(): boolean;
  /** Stops the role if it runs here (onLost, awaited), then lets another process take it. */
  release(): Promise<void>;
}

export interface RoleLock {
  hold(role: RoleName, callbacks: RoleCallbacks): RoleHandle;
}

/** A process alone on its database holds every role at once, from the moment it asks. */
export function localRoleLock(): RoleLock {
  return {
    hold(_role, callbacks) {
      let held = true;
      void Promise.resolve(callbacks.onAcquired()).catch(() => undefined);
      return {
        holding: () => held,
        async release() {
          if (!held) return;
          held = false;
          await callbacks.onLost();
        },
      };
    },
  };
}
