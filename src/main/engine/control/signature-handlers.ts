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
    'signature.diagnose': ({ headers, bodyBase64, secrets, dialect, storedSecretsOf }, caller) => {
      if (storedSecretsOf !== undefined) {
        // Stored secrets make the expected signature of an edited body an oracle: only for roles that read secrets.
        const diagnosis = diagnoseWithStored(db, box, storedSecretsOf, { headers, body: Buffer.from(bodyBase64, 'base64'), secrets: secrets ?? [], ...(dialect ? { dialect } : {}) });
        return caller.role === 'admin' ? diagnosis : withoutExpected(diagnosis);
      }
      refuseHidden(headers);
      return unknownDialect(() =>
        diagnose({ headers: new HeaderList(headers), body: Buffer.from(bodyBase64, 'base64'), ...(secrets ? { secrets } : {}), ...(dialect ? { dialect } : {}) }),
      );
    },
    'signature.sign': ({ bodyBase64, ...rest }) => unknownDialect(() => signRequest({ ...rest, body: Buffer.from(bodyBase64, 'base64') })),
    /** A stored delivery against its hook's secrets first, then every other secret Hookbench holds. */
    'deliveries.diagnose': ({ id }, caller) => {
      const diagnosis = diagnoseWithStored(db, box, id);
      return caller.role === 'admin' ? diagnosis : withoutExpected(diagnosis);
    },
  };
}

/** A request as edited in the debugger; without it, the delivery as received. */
interface Edited {
  headers: [string, string][];
  body: Buffer;
  secrets: string[];
  dialect?: string;
}

/** A header hidden in a view (its value reads HIDDEN) takes the value the delivery stored under that name. */
function fillHidden(edited: [string, string][], stored: [string, string][]): [string, string][] {
  return edited.map(([name, value]) => {
    if (value !== HIDDEN) return [name, value];
    const original = stored.find(([n]) => n.toLowerCase() === name.toLowerCase());
    return [name, original ? original[1] : value];
  });
}

/**
 * Checked with the delivery's own package's (or inbox's) secrets, then every other one Hookbench holds.
 * The secrets never leave the engine: the diagnosis is scrubbed of them, and of any credential header.
 */
function diagnoseWithStored(db: HandlerContext['db'], box: HandlerContext['box'], id: number, edited?: Edited) {
  const delivery = getDelivery(db, id);
  // Checked on the request as received (credentials opened); what it says is shown with them hidden.
  const stored = openHeaders(box, loadCaptured(db, `delivery:${id}`).headers);
  const headers = edited ? fillHidden(edited.headers, stored) : stored;
  const body = edited ? edited.body : Buffer.from(delivery.bodyBase64, 'base64');
  const known = deliverySecrets(db, box, delivery);
  const typed = edited?.secrets ?? [];
  const dialect = edited?.dialect ?? known.provider ?? undefined;
  const diagnosis = unknownDialect(() =>
    diagnose({
      headers: new HeaderList(headers),
      body,
      secrets: [...known.secrets, ...typed],
      secretLabels: [...known.labels, ...typed.map((_, i) => `secret ${i + 1} you entered`)],
      accepted: known.secrets.length ? known.accepted : Math.min(1, typed.length),
      elsewhere: known.elsewhere,
      now: delivery.receivedAt,
      ...(dialect ? { dialect } : {}),
      ...(known.toleranceSeconds !== undefined ? { toleranceSeconds: known.toleranceSeconds } : {}),
    }),
  );
  const cut = edited ? diagnosis : qualifyForCutBody(diagnosis, delivery);
  return scrubSecrets(cut, [...known.secrets, ...known.elsewhere.map((k) => k.secret), ...stored.filter(isHiddenHeader).map(([, value]) => value)]);
}
