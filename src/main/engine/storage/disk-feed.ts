import type { PushEvent } from '../../../shared/contract';
import type { DiskState } from '../../../shared/retention-types';
import type { Db } from '../db/open';
import { recordActivity } from '../store/activity';

/**
 * Writes the receiver's disk refusals to the activity feed. While the disk is full the entry
 * itself may not fit: it is kept, with its time, and written once something can be.
 */
export function diskFeed(db: Db, publish: (event: PushEvent) => void) {
  const unrecorded: { at: number; message: string }[] = [];
  return (state: DiskState, ended: { refused: number; since: number; reason: string } | null): void => {
    unrecorded.push(
      ended
        ? {
            at: Date.now(),
            message: `Deliveries are stored again. While ${ended.reason}, ${ended.refused} request${ended.refused === 1 ? ' was' : 's were'} answered 503 (senders retry); nothing acknowledged was lost.`,
          }
        : {
            at: state.since ?? Date.now(),
            message: `The receiver answers 503 to every delivery: ${state.reason}. Nothing is acknowledged that could not be stored. Free space on the volume, or set a retention policy (hookbench retention set, hookbench prune).`,
          },
    );
    // Written after the current turn: a change noticed inside a write that is failing must not
    // share its transaction (rolled back, the entry would be lost while counted as written).
    setImmediate(() => {
      try {
        while (unrecorded.length > 0) {
          publish({ type: 'activity', entry: recordActivity(db, { kind: 'disk_full', ...unrecorded[0]! }) });
          unrecorded.shift();
        }
      } catch {
        // Kept for the next change, when there may be room again.
      }
    });
  };
}
