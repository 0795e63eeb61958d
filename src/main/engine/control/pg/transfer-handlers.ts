import { ApiError } from '../../../../shared/contract';
import { exportText, type DeliveryRow, type FixtureRow } from '../../replay/export';
import { ImportError } from '../../replay/import-records';
import { readImportRecords } from '../../replay/import-source';
import { importOnPg } from '../../replay/pg-import';
import { pgTransferSql as sql } from '../../replay/pg-transfer-statements';
import { pgUploadStaging } from '../../replay/pg-upload-staging';
import { DEFAULT_RECEIVER_URL } from '../../store/settings';
import type { Handlers } from '../handlers';
import type { PgHandlerGroup } from './team-handlers';

type TransferMethods = 'export.run' | 'import.upload' | 'import.begin' | 'import.chunk' | 'import.finish' | 'import.cancel';

const asApiError = (error: unknown) => (error instanceof ImportError ? new ApiError('invalid_params', error.message) : error);

/**
 * Export and import on a team server's database, with the desktop's results: the same export
 * text (export.ts), the same record checks and decisions (import-steps.ts), the same refusals.
 * A file sent in pieces is staged in the database, so its pieces may reach any instance; its
 * import runs in one transaction with the removal of the upload, so it is published whole or
 * not at all, and an instance that dies midway leaves nothing of it.
 */
export const pgTransferHandlers: PgHandlerGroup = (ctx): Pick<Handlers, TransferMethods> => {
  const { pool, bus, box } = ctx;
  const uploads = pgUploadStaging(pool, ctx.now);
  const importUpload = (uploadId: string) =>
    uploads
      .finish(uploadId, (client, bytes, name) =>
        importOnPg(
          client,
          (onFormat) => readImportRecords(bytes(), name, onFormat),
          name,
          (done, total, stage) => stage === 'writing' && bus.publish({ type: 'progress', task: `import ${name}`, done, total }),
          box,
          ctx.now,
        ),
      )
      .catch((error: unknown) => {
        throw asApiError(error);
      });
  return {
    'export.run': async ({ format, ids, packageId, fixtures: withFixtures }) => {
      const { rows } = await pool.query<DeliveryRow>({ ...sql.exportDeliveries, values: [ids?.length ? ids : null, packageId ?? null] });
      const fixtureRows = (withFixtures ?? true) ? (await pool.query<FixtureRow>(sql.exportFixtures)).rows : [];
      const text = exportText(format, rows, ctx.receiverUrl() ?? DEFAULT_RECEIVER_URL, () => fixtureRows);
      return { format, text, count: rows.length };
    },
    // One file in one call: the same staging as a file sent in pieces.
    'import.upload': async ({ name, contentBase64 }) => {
      const content = Buffer.from(contentBase64, 'base64');
      const { uploadId } = await uploads.begin(name, content.length);
      await uploads.append(uploadId, 0, content);
      return importUpload(uploadId);
    },
    'import.begin': ({ name, size }) => uploads.begin(name, size),
    'import.chunk': ({ uploadId, offset, contentBase64 }) => uploads.append(uploadId, offset, Buffer.from(contentBase64, 'base64')),
    'import.finish': ({ uploadId }) => importUpload(uploadId),
    'import.cancel': ({ uploadId }) => uploads.cancel(uploadId),
  };
};
