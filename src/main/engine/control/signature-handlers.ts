import { ApiError } from '../../../shared/contract';
import { SIGNATURE_HEADER } from '../../../shared/header-names';
import { HIDDEN, isHiddenHeader, isSecretHeader } from '../../../shared/secret-headers';
import { HeaderList } from '../receiver/headers';
import { loadCaptured } from '../replay/captured';
import { openHeaders } from '../secrets/header-seal';
import { scrubSecrets } from '../secrets/scrub';
import { qualifyForCutBody } from '../signature/cut-body';
import { diagnose } from '../signature/diagnose';
import { SignInputError, signRequest } from '../signature/sign-request';
import { getDelivery } from '../store/deliveries';
import { deliverySecrets } from '../store/known-secrets';
import type { Diagnosis } from '../../../shared/types';
import type { HandlerContext, Handlers } from './handlers';

type SignatureMethods = 'signature.diagnose' | 'signature.sign' | 'deliveries.diagnose';

const unknownDialect = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (error instanceof SignInputError || /Unknown dialect/.test((error as Error).message)) throw new ApiError('invalid_params', (error as Error).message);
    throw error;
  }
};

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

export function createSignatureHandlers({ db, box }: HandlerContext): Pick<Handlers, SignatureMethods> {
  return {
    'signature.diagnose': ({ headers, bodyBase64, secrets, dialect }) => {
      refuseHidden(headers);
      return unknownDialect(() =>
        diagnose({ headers: new HeaderList(headers), body: Buffer.from(bodyBase64, 'base64'), ...(secrets ? { secrets } : {}), ...(dialect ? { dialect } : {}) }),
      );
    },
    'signature.sign': ({ bodyBase64, ...rest }) => unknownDialect(() => signRequest({ ...rest, body: Buffer.from(bodyBase64, 'base64') })),
    /** A stored delivery against its hook's secrets first, then every other secret Hookbench holds. */
    'deliveries.diagnose': ({ id }, caller) => {
      const delivery = getDelivery(db, id);
      // Checked on the request as received (credentials opened); what it says is shown with them hidden.
      const headers = openHeaders(box, loadCaptured(db, `delivery:${id}`).headers);
      const known = deliverySecrets(db, box, delivery);
      const diagnosis = diagnose({
        headers: new HeaderList(headers),
        body: Buffer.from(delivery.bodyBase64, 'base64'),
        secrets: known.secrets,
        secretLabels: known.labels,
        accepted: known.accepted,
        elsewhere: known.elsewhere,
        now: delivery.receivedAt,
        ...(known.provider ? { dialect: known.provider } : {}),
        ...(known.toleranceSeconds !== undefined ? { toleranceSeconds: known.toleranceSeconds } : {}),
      });
      const scrubbed = scrubSecrets(qualifyForCutBody(diagnosis, delivery), [...known.secrets, ...known.elsewhere.map((k) => k.secret), ...headers.filter(isHiddenHeader).map(([, value]) => value)]);
      return caller.role === 'admin' ? scrubbed : withoutExpected(scrubbed);
    },
  };
}
