import { maskHeaders, maskUrl } from '../../../shared/secret-headers';
import type { CapturedView } from '../../../shared/replay-types';
import { toForwardResult } from '../inbox/forward/view';
import { capturedRequest } from './captured';
import { ask, type CapturedSteps } from './captured-ops';

/** captured.get: a stored request as the window shows it (credentials masked), with an inbox capture's forwards. */
export function* capturedView(ref: string): CapturedSteps<CapturedView> {
  const c = yield* capturedRequest(ref);
  const forwards = c.ref.startsWith('delivery:') ? (yield* ask('forwardsOf', Number(c.ref.slice('delivery:'.length)))).map(toForwardResult) : [];
  return {
    ref: c.ref,
    headers: maskHeaders(c.headers),
    bodyBase64: c.body.toString('base64'),
    size: c.body.length,
    contentType: c.contentType,
    url: c.url === null ? null : maskUrl(c.url),
    event: c.event,
    forwards,
  };
}
