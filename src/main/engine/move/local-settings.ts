import { BACKUP_META_KEY } from '../storage/backup-meta';
import { TUNNEL_KEYS } from '../tunnel/saved-status';

/**
 * Settings that describe this machine or one process on it rather than the workspace: a team
 * server has its own, so they stay behind. Everything else (the public URL, the tunnel's channel,
 * the receiver's allow list, background jobs' progress over the copied rows) moves.
 * The desktop window's size and place live in a file of the app's own, never in the database.
 */
const STAYS: Record<string, string> = {
  'receiver.url': "the address this machine's receiver last listened on; each server instance records its own",
  'receiver.trustedProxies': "the proxies in front of this machine; the server's are given to its serve (--trust-proxy)",
  [TUNNEL_KEYS.status]: "the live state of this machine's tunnel connection; the server's tunnel holder writes its own",
  'storage.restoredFrom': 'which backup file this data dir was restored from',
  [BACKUP_META_KEY]: 'the label of a backup file, never meant for a live store',
};

/** Why a setting stays on this machine, or null when it moves. */
export const staysBehind = (key: string): string | null => STAYS[key] ?? null;

/** Every key that stays behind: on a server they are its own instances' bookkeeping, never a sign of data. */
export const localSettingKeys = (): string[] => Object.keys(STAYS);
