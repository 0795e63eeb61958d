import type { Pool } from 'pg';
import { pgRecordActivity } from '../store/pg-activity-statements';
import type { KeySource } from './key-source';
import { pgRotationStore } from './pg-rotate-statements';
import { resealAll, rotationActivity, sharedKeyRotation, type RotationResult } from './rotate-key';

/**
 * A team server's shared key rotated: with HOOKBENCH_SECRET_KEY=NEW,OLD on every instance (they
 * seal with NEW and open with either meanwhile), every sealed value in the database is sealed
 * again with NEW while the instances keep running; OLD can then be dropped everywhere. A key file
 * shared by the instances is rotated the same way, its key given as OLD.
 */
export async function rotateTeamKey(pool: Pool, source: KeySource, progress: (done: number, total: number) => void = () => undefined): Promise<RotationResult> {
  const { target, ring } = sharedKeyRotation(source);
  const resealed = await resealAll(pgRotationStore(pool), target, ring, progress);
  const rotated: RotationResult = { key: 'HOOKBENCH_SECRET_KEY', resealed, previousKey: null };
  await pgRecordActivity(pool, { ...rotationActivity(rotated), at: Date.now() });
  return rotated;
}
