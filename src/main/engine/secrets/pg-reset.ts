import type { Pool } from 'pg';
import type { SecretsReset } from '../../../shared/types';
import { inTransaction } from '../db/pg/transaction';
import { runOpsAsync } from '../store/steps';
import type { SecretKeyError } from './errors';
import { keyProblem } from './key-check';
import { pgResetOps, pgResetSql } from './pg-reset-statements';
import { resetSteps, unopenedBy } from './reset-steps';
import type { SecretBox } from './secret-box';

const keyNameOf = (box: SecretBox) => box.where ?? 'HOOKBENCH_SECRET_KEY';

/**
 * After the team's shared key was lost: resetSteps on the team server's database, with the key
 * the instances now share (`box`) judging what still opens and sealing the new secrets.
 * `baseUrl` is where providers reach the team ('' when unknown: hook URLs are given as paths).
 */
export function pgResetSecrets(pool: Pool, box: SecretBox, baseUrl: string, now: () => number = Date.now): Promise<SecretsReset> {
  return inTransaction(pool, async (client) => {
    await client.query(pgResetSql.lock);
    return runOpsAsync(resetSteps({ keys: box, box, keyName: keyNameOf(box), baseUrl }), pgResetOps(client, now));
  });
}

/**
 * Checked before an instance listens: with a key other than the one the team's secrets were
 * sealed with, no hook secret opens and every correctly signed delivery would be refused.
 * `database` names it for the message (password hidden).
 */
export async function checkSharedKey(pool: Pool, box: SecretBox, database: string): Promise<SecretKeyError | null> {
  const unopened = unopenedBy(await pgResetOps(pool, Date.now).listSealed(), box);
  if (unopened.length === 0) return null;
  const keyName = keyNameOf(box);
  return keyProblem(
    unopened,
    `the team database ${database}`,
    `${keyName} does not hold the key that sealed them (to rotate the shared key, list it as NEW,OLD on every instance and run "hookbench secrets rotate-key --database URL")`,
    `start this instance with the key the team's secrets were sealed with (the one the other instances use)`,
    'hookbench secrets reset --database URL',
    keyName,
  );
}
