import { ApiError } from '../../shared/contract';
import { SchemaMismatchError } from '../engine/db/migrate';
import { MoveRefused } from '../engine/move/errors';
import { SecretKeyError } from '../engine/secrets/errors';
import { DatabaseDamagedError } from '../engine/storage/integrity';

/** The code `--json` gives with the message of the error a command ended with. */
export function errorCode(error: unknown, usage: boolean | undefined): string {
  if (error instanceof ApiError) return error.code;
  if (usage) return 'usage';
  if (error instanceof SchemaMismatchError) return 'schema_mismatch';
  if (error instanceof SecretKeyError) return 'secret_key';
  if (error instanceof DatabaseDamagedError) return 'database_damaged';
  if (error instanceof MoveRefused) return 'refused';
  return 'error';
}
