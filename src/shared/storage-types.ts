import type { DiskState, PruneReport, RetentionPolicyView } from './retention-types';

/** Which key the sealed secrets of a database need. */
export interface KeyRequirement {
  /** 'key-file' (headless, secret.key) or the desktop app's OS keychain ('safe-storage'). */
  secretStore: string;
  /** The key file's name and the sha256 of its bytes (never the key); null when none was needed yet. */
  keyFile: { name: string; sha256: string } | null;
}

export interface BackupResult extends KeyRequirement {
  file: string;
  bytes: number;
  takenAt: number;
  deliveries: number;
  schema: { index: number; tag: string };
  /** The data dir the backup was taken from. */
  dataDir: string;
}

export interface RestoreResult extends KeyRequirement {
  dataDir: string;
  file: string;
  takenAt: number | null;
  /** Schema of the backup, and of the restored database once migrated. */
  schemaBefore: number;
  schemaAfter: number;
  /** Where the key file must come from, and whether the one found beside it matches. */
  key: 'not-needed' | 'present' | 'missing' | 'os-keychain';
  /** What to do next, in words. */
  advice: string[];
}

export interface BackupRecord {
  file: string;
  takenAt: number;
  bytes: number;
  deliveries: number;
}

export interface StorageStatus {
  dataDir: string;
  files: { database: string; databaseBytes: number; walBytes: number };
  /** Bytes of stored request bodies (deliveries) and of outbound message and response bodies. */
  bodyBytes: { deliveries: number; messages: number; attempts: number; fixtures: number };
  counts: {
    deliveries: Record<string, number>;
    deliveriesTotal: number;
    releases: number;
    messages: Record<string, number>;
    messagesTotal: number;
    attempts: number;
    fixtures: number;
    activity: number;
  };
  /** Received time of the oldest delivery, and time of the oldest activity entry. */
  oldest: { delivery: number | null; activity: number | null };
  volume: { freeBytes: number; totalBytes: number; warning: string | null } | null;
  lastBackup: BackupRecord | null;
  /** The retention policy, and what it would remove if pruning ran now. */
  retention?: RetentionPolicyView;
  nextPrune?: PruneReport;
  /** Set while the receiver refuses deliveries for lack of space. */
  disk?: DiskState | null;
  /** On a team server: its PostgreSQL database in place of a data dir, and how that is backed up (`hookbench backup` copies a desktop data dir). */
  teamDatabase?: { location: string; backup: string };
}

/** What deleting deliveries did (or, on a dry run, would do). */
export interface DeliveryDeletion {
  dryRun: boolean;
  matched: number;
  deleted: number;
  /** Kept because a release records them as its delivery / a fixture was saved from them (first 50 ids). */
  keptForRelease: number[];
  keptForFixture: number[];
  keptCount: number;
  /** With includeLinked: how many of the deleted ones a release or fixture linked to. */
  linkedDeleted: number;
}
