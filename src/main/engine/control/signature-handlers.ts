import { ApiError } from '../../../shared/contract';
import { SIGNATURE_HEADER } from '../../../shared/header-names';
import { HIDDEN, isSecretHeader } from '../../../shared/secret-headers';
import type { Diagnosis } from '../../../shared/types';
import type { MaybePromise } from '../maybe-promise';
import { HeaderList } from '../receiver/headers';
import { sqliteCapturedOps } from '../replay/sqlite-captured-ops';
import type { SecretBox } from '../secrets/secret-box';
import { scrubSecrets } from '../secrets/scrub';
import { diagnose } from '../signature/diagnose';
import { signRequest } from '../signature/sign-request';
import { diagnoseStored, unknownDialect, type DiagnosisOps, type DiagnosisSteps } from '../signature/stored-diagnosis';
import { sqliteSecretRows } from '../store/known-secrets';
import { runOps } from '../store/steps';
import type { HandlerContext, Handlers } from './handlers';

type SignatureMethods = 'signature.diagnose' | 'signature.sign' | 'deliveries.diagnose';

/** A credential copied from a view arrives as HIDDEN: checking that would blame the secret. */
function refuseHidden(headers: [string, string][]): void {
  const hidden = headers.find(([name, value]) => value === HIDDEN && isSecretHeader(name) && SIGNATURE_HEADER.test(name));
  if (hidden) {
    throw new ApiError(
      'invalid_params',
      `${hidden[0]} reads "${HIDDEN}": it was copied from a view that hides credentials, so there is nothing to check. Use Diagnose on the delivery itself, or reveal the header there and paste its value.`,
    );
  }
}

/**
 * On a shared server, the signature a stored secret would give a forged delivery is a signing
 * oracle: only roles that may read secrets see it (a valid one is the received one anyway).
 */
function withoutExpected(diagnosis: Diagnosis): Diagnosis {
  const { expected } = diagnosis;
  if (expected === null || diagnosis.verdict === 'valid') return diagnosis;
  return scrubSecrets({ ...diagnosis, expected: null }, [expected]);
}

/** Runs the steps of a stored delivery's diagnosis on the store at hand. */
export type RunDiagnosis = <R>(steps: DiagnosisSteps<R>) => MaybePromise<R>;

/**
 * The signature debugger on either store: signing and checking a pasted request need no store;
 * a stored delivery is read (with the secrets it is checked against) through `run`.
 */
export function signatureHandlers(box: SecretBox, run: RunDiagnosis): Pick<Handlers, SignatureMethods> {
  return {
    'signature.diagnose': async ({ headers, bodyBase64, secrets, dialect, storedSecretsOf }, caller) => {
      if (storedSecretsOf !== undefined) {
        // Stored secrets make the expected signature of an edited body an oracle: only for roles that read secrets.
        const diagnosis = await run(diagnoseStored(box, storedSecretsOf, { headers, body: Buffer.from(bodyBase64, 'base64'), secrets: secrets ?? [], ...(dialect ? { dialect } : {}) }));
        return caller.role === 'admin' ? diagnosis : withoutExpected(diagnosis);
      }
      refuseHidden(headers);
      return unknownDialect(() => diagnose({ headers: new HeaderList(headers), body: Buffer.from(bodyBase64, 'base64'), ...(secrets ? { secrets } : {}), ...(dialect ? { dialect } : {}) }));
    },
    'signature.sign': ({ bodyBase64, ...rest }) => unknownDialect(() => signRequest({ ...rest, body: Buffer.from(bodyBase64, 'base64') })),
    /** A stored delivery against its hook's secrets first, then every other secret Hookbench holds. */
    'deliveries.diagnose': async ({ id }, caller) => {
      const diagnosis = await run(diagnoseStored(box, id));
      return caller.role === 'admin' ? diagnosis : withoutExpected(diagnosis);
    },
  };
}

export function createSignatureHandlers({ db, box }: HandlerContext): Pick<Handlers, SignatureMethods> {
  const ops: DiagnosisOps = { deliveryById: sqliteCapturedOps(db).deliveryById, secretRows: () => sqliteSecretRows(db) };
  return signatureHandlers(box, (steps) => runOps(steps, ops));
}
