import { ApiError } from '../../../shared/contract';
import { isHiddenHeader } from '../../../shared/secret-headers';
import type { ActivityEntry, RevealedHeader } from '../../../shared/types';
import type { Queryable } from '../db/open';
import { openHeaders } from '../secrets/header-seal';
import type { SecretBox } from '../secrets/secret-box';
import { activityValues } from '../store/activity';
import { runOps } from '../store/steps';
import { capturedRequest, parseRef } from './captured';
import { ask, type CapturedSteps } from './captured-ops';
import { sqliteCapturedOps } from './sqlite-captured-ops';

const VIA = { ui: 'in the app', cli: 'from the CLI', api: 'through the API' } as const;

export interface RevealRequest {
  ref: string;
  header: string;
  via: keyof typeof VIA;
}

/**
 * The value of one credential header of a stored request, opened for a person who asked
 * for it; the reveal itself goes into the activity feed (what, which request, how, when).
 */
export function* revealSteps(box: SecretBox, request: RevealRequest, now: number): CapturedSteps<{ revealed: RevealedHeader; entry: ActivityEntry | null }> {
  const captured = yield* capturedRequest(request.ref);
  const wanted = request.header.toLowerCase();
  const pairs = captured.headers.filter(([name]) => name.toLowerCase() === wanted);
  if (pairs.length === 0) throw new ApiError('not_found', `${captured.ref} has no ${request.header} header.`);
  const header = pairs[0]![0];
  const revealed = { ref: captured.ref, header, values: openHeaders(box, pairs).map(([, value]) => value) };
  // A header shown in clear anyway reveals nothing: no entry.
  if (!pairs.some(isHiddenHeader)) return { revealed, entry: null };
  const { kind, id } = parseRef(captured.ref);
  const packageId = kind === 'delivery' ? ((yield* ask('deliveryById', id))?.packageId ?? null) : null;
  const entry = yield* ask(
    'recordActivity',
    activityValues({ kind: 'secret_revealed', packageId, deliveryId: kind === 'delivery' ? id : null, message: `Secret header ${header} of ${kind} #${id} revealed ${VIA[request.via]}.`, at: now }),
  );
  return { revealed, entry };
}

export function revealHeader(db: Queryable, box: SecretBox, request: RevealRequest): { revealed: RevealedHeader; entry: ActivityEntry | null } {
  return runOps(revealSteps(box, request, Date.now()), sqliteCapturedOps(db));
}
