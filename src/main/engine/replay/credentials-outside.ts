import { ApiError } from '../../../shared/contract';
import type { Caller } from '../../../shared/access-types';
import { isHiddenHeader } from '../../../shared/secret-headers';
import { capturedRequest } from './captured';
import type { CapturedSteps } from './captured-ops';

/**
 * An exact copy sent outside carries the request's credentials (a GitLab token is the package
 * secret): admins only. Into this Hookbench (no `to`) they stay where they were.
 */
export function* refuseCredentialsOutside(caller: Caller, ref: string, to: string | undefined): CapturedSteps<void> {
  if (!to || caller.role === 'admin') return;
  const hidden = (yield* capturedRequest(ref)).headers.filter(isHiddenHeader).map(([name]) => name);
  if (hidden.length) {
    throw new ApiError(
      'forbidden',
      `This request carries ${hidden.join(', ')}: sent to an outside URL it would hand over a secret, which only an admin may do. Replay it into its package instead, or ask an admin.`,
    );
  }
}
