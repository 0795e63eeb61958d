/**
 * A rotated secret's overlap, shared by package hooks and inboxes: the secret a rotation
 * replaced keeps verifying until its overlap ends, so what the sender signed before it was
 * given the new secret is still accepted.
 */

/** How long a replaced secret keeps verifying when no overlap is given. */
export const DEFAULT_OVERLAP_MS = 24 * 3600_000;

export interface RotatedSecrets {
  previousSecretSealed?: string | null | undefined;
  /** null: until the rotation completes (a hook re-created upstream), with no end of its own. */
  previousSecretExpiresAt?: number | null | undefined;
}

/** Whether the replaced secret still verifies a request that arrived at `at`. */
export function previousSecretAccepted(row: RotatedSecrets, at: number): boolean {
  return row.previousSecretSealed != null && (row.previousSecretExpiresAt == null || at < row.previousSecretExpiresAt);
}

/** The verdict's reason when the request was signed with the replaced secret. */
export const signedWithPrevious = (what: 'hook' | 'inbox') => `Signature matches the previous secret, still accepted while the ${what} is rotated.`;
