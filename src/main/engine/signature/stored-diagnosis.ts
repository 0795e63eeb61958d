import { ApiError } from '../../../shared/contract';
import { isHiddenHeader, HIDDEN } from '../../../shared/secret-headers';
import type { Diagnosis } from '../../../shared/types';
import type { DeliveryRow } from '../replay/captured-ops';
import { HeaderList } from '../receiver/headers';
import { openHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { scrubSecrets } from '../secrets/scrub';
import { noSuchDelivery } from '../store/deliveries';
import { secretsForDelivery, type SecretRows } from '../store/known-secrets';
import { toDeliveryDetail } from '../store/rows';
import { askOp, type Steps } from '../store/steps';
import { qualifyForCutBody } from './cut-body';
import { diagnose } from './diagnose';
import { SignInputError } from './sign-request';

/** What diagnosing a stored delivery reads: the delivery as stored, and every secret Hookbench holds. */
export interface DiagnosisOps {
  deliveryById(id: number): DeliveryRow | undefined;
  secretRows(): SecretRows;
}

export type DiagnosisSteps<R> = Steps<DiagnosisOps, R>;

const ask = <K extends keyof DiagnosisOps>(name: K, ...args: Parameters<DiagnosisOps[K]>) => askOp<DiagnosisOps, K>(name, ...args);

/** An unknown dialect or a request that cannot be signed is the caller's mistake, said as such. */
export function unknownDialect<T>(run: () => T): T {
  try {
    return run();
  } catch (error) {
    if (error instanceof SignInputError || /Unknown dialect/.test((error as Error).message)) throw new ApiError('invalid_params', (error as Error).message);
    throw error;
  }
}

/** A request as edited in the debugger; without it, the delivery as received. */
export interface Edited {
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
export function* diagnoseStored(box: SecretBox, id: number, edited?: Edited): DiagnosisSteps<Diagnosis> {
  const row = yield* ask('deliveryById', id);
  if (!row) throw noSuchDelivery(id);
  const delivery = toDeliveryDetail(row);
  // Checked on the request as received (credentials opened); what it says is shown with them hidden.
  const stored = openHeaders(box, JSON.parse(row.headers) as [string, string][]);
  const headers = edited ? fillHidden(edited.headers, stored) : stored;
  const body = edited ? edited.body : row.body;
  const known = secretsForDelivery(yield* ask('secretRows'), box, delivery);
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
