export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Who makes a call: a named token, or the local user (the desktop, the CLI on the data dir, the launch token). */
export interface Caller {
  name: string;
  role: Role;
  /** The remote address an HTTP call came from; null in process. */
  address: string | null;
}

export const LOCAL_CALLER: Caller = { name: 'local', role: 'admin', address: null };

export interface TokenSummary {
  name: string;
  role: Role;
  createdAt: number;
  createdBy: string;
  lastUsedAt: number | null;
}

/** The token itself appears here once, and nowhere else afterwards. */
export interface TokenCreated extends TokenSummary {
  token: string;
}

export interface AuditEntry {
  id: number;
  at: number;
  actor: string;
  role: Role | null;
  method: string;
  target: string | null;
  outcome: string;
  remoteAddress: string | null;
}
