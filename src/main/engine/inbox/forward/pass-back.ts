import type { ServerResponse } from 'node:http';
import { send } from '../../receiver/reply';
import { forwardHeaders } from './request';
import type { ForwardWorker } from './worker';

/**
 * How long a sender is kept waiting for a pass-back target's answer: under GitHub's 10 s, so
 * the sender hears something before it gives up. Past it the programmed answer goes out and the
 * forward goes on (and is retried) in the background.
 */
export const PASS_BACK_WAIT_MS = 9_000;

/**
 * Answers the sender with its pass-back target's answer to this capture (status, headers,
 * body), as `gh webhook forward` does. Returns false when the inbox has no pass-back target
 * for it or the target did not answer in time: the caller sends the programmed answer.
 */
export function passBackAnswer(forwarder: ForwardWorker, waitMs = PASS_BACK_WAIT_MS) {
  return async (res: ServerResponse, captureId: unknown): Promise<boolean> => {
    if (typeof captureId !== 'number') return false;
    const answer = await forwarder.answerFor(captureId, waitMs);
    if (answer === null || res.writableEnded || res.destroyed) return false;
    // Recorded before the sender hears it, so the capture it reads back says what it was given.
    await forwarder.recordAnswered(captureId, answer.status ?? 502);
    if (res.writableEnded || res.destroyed) return true;
    if (answer.status === null) {
      send(res, 502, { error: 'forward_failed', reason: `The pass-back target did not answer: ${answer.error ?? 'no response'}.`, capture: captureId });
      return true;
    }
    const lines = forwardHeaders(answer.headers).flat();
    // 204 and 304 carry no body.
    const bodiless = answer.status === 204 || answer.status === 304;
    if (!bodiless) lines.push('content-length', String(answer.body.length));
    res.writeHead(answer.status, lines);
    res.end(bodiless ? undefined : answer.body);
    return true;
  };
}
