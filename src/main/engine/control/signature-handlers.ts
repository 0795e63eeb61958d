import { ApiError } from '../../../shared/contract';
import { SIGNATURE_HEADER } from '../../../shared/header-names';
import { HIDDEN, isHiddenHeader, isSecretHeader } from '../../../shared/secret-headers';
import { getDialect } from '../dialects';
import { signingTokenFor } from '../ids';
import { endpoints } from '../db/schema';
import { HeaderList } from '../receiver/headers';
import { loadCaptured } from '../replay/captured';
import { openHeaders } from '../secrets/header-seal';
import { scrubSecrets } from '../secrets/scrub';
import { diagnose } from '../signature/diagnose';
import { signRequest } from '../signature/sign-request';
import { getDelivery } from '../store/deliveries';
import { hookLookup } from '../store/packages';
import type { HandlerContext, Handlers } from './handlers';

type SignatureMethods = 'signature.diagnose' | 'signature.sign' | 'deliveries.diagnose';

const unknownDialect = <T>(run: () => T): T => {
  try {
    return run();
  } catch (error) {
    if (/Unknown dialect/.test((error as Error).message)) throw new ApiError('invalid_params', (error as Error).message);
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

export function createSignatureHandlers({ db, box }: HandlerContext): Pick<Handlers, SignatureMethods> {
  const lookup = hookLookup(db);
  return {
    'signature.diagnose': ({ headers, bodyBase64, secrets, dialect }) => {
      refuseHidden(headers);
      return unknownDialect(() =>
        diagnose({ headers: new HeaderList(headers), body: Buffer.from(bodyBase64, 'base64'), ...(secrets ? { secrets } : {}), ...(dialect ? { dialect } : {}) }),
      );
    },
    'signature.sign': ({ bodyBase64, ...rest }) => unknownDialect(() => signRequest({ ...rest, body: Buffer.from(bodyBase64, 'base64') })),
    /** A stored delivery against its hook's secret first, then every other secret Hookbench holds. */
    'deliveries.diagnose': ({ id }) => {
      const delivery = getDelivery(db, id);
      // Checked on the request as received (credentials opened); what it says is shown with them hidden.
      const headers = openHeaders(box, loadCaptured(db, `delivery:${id}`).headers);
      const hook = lookup(delivery.hookId);
      const secrets: string[] = [];
      const labels: string[] = [];
      if (hook) {
        const secret = box.open(hook.secretSealed);
        const own: [string, string][] = [[secret, 'this hook\u2019s secret']];
        // GitLab's signing token signs; its plain token is compared. Check first what this request used.
        if (hook.provider === 'gitlab') {
          const token: [string, string] = [signingTokenFor(secret), 'this hook\u2019s signing token'];
          if (new HeaderList(headers).get('webhook-signature') !== undefined) own.unshift(token);
          else own.push(token);
        }
        for (const [value, name] of own) {
          secrets.push(value);
          labels.push(name);
        }
      }
      for (const ep of db.select().from(endpoints).all()) {
        secrets.push(box.open(ep.secretSealed));
        labels.push(`endpoint "${ep.name}" secret`);
      }
      const dialect = hook?.provider;
      const diagnosis = diagnose({
        headers: new HeaderList(headers),
        body: Buffer.from(delivery.bodyBase64, 'base64'),
        secrets,
        secretLabels: labels,
        now: delivery.receivedAt,
        ...(dialect && getDialect(dialect) ? { dialect } : {}),
      });
      return scrubSecrets(diagnosis, [...secrets, ...headers.filter(isHiddenHeader).map(([, value]) => value)]);
    },
  };
}
