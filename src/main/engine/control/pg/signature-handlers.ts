import { pgCapturedOps } from '../../replay/pg-captured-ops';
import type { DiagnosisOps } from '../../signature/stored-diagnosis';
import { pgSecretRows } from '../../store/pg-secret-rows';
import { runOpsAsync, type AsyncOps } from '../../store/steps';
import { signatureHandlers } from '../signature-handlers';
import type { PgHandlerGroup } from './team-handlers';

/**
 * The signature debugger on a team server: the same handlers as on a desktop data dir; a
 * stored delivery and the secrets it is checked against are read from PostgreSQL.
 */
export const pgSignatureHandlers: PgHandlerGroup = ({ pool, box }) => {
  const ops: AsyncOps<DiagnosisOps> = { deliveryById: pgCapturedOps(pool).deliveryById, secretRows: () => pgSecretRows(pool) };
  return signatureHandlers(box, (steps) => runOpsAsync(steps, ops));
};
