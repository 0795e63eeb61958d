/**
 * Giving an inbox's programmed answer. The capture is stored first with the status it is about
 * to get; the answer (after its delay, or never when the connection is held open) follows.
 */
import type { ServerResponse } from 'node:http';
import type { InboxAnswer } from '../../../shared/inbox-types';
import { send } from '../receiver/reply';
import { isDefaultAnswer } from './answer-rules';

/** What the capture is stored with when the connection is held open: no status was sent. */
export const NO_ANSWER = 0;

export interface PlannedAnswer {
  /** The status sent (stored with the capture), or NO_ANSWER when the connection is held open. */
  status: number;
  /** The programmed answer this arrival gets; null: 200 at once with the capture's summary. */
  programmed: InboxAnswer | null;
}

/**
 * Which answer this arrival gets: the programmed one for the first `failFirst` arrivals of its
 * event and, after those, for a `failRatio` share at random; for every arrival when neither is
 * set. The rest get 200 at once. `arrival` counts from 1 (an arrival without an event id is a first);
 * it is asked only when `failFirst` is set, so other answers cost no count.
 */
export function planAnswer(answer: InboxAnswer, arrival: () => number, random: () => number = Math.random): PlannedAnswer {
  if (isDefaultAnswer(answer)) return { status: 200, programmed: null };
  const everyArrival = answer.failFirst === null && answer.failRatio === null;
  const chosen = everyArrival || (answer.failFirst !== null && arrival() <= answer.failFirst) || (answer.failRatio !== null && random() < answer.failRatio);
  if (!chosen) return { status: 200, programmed: null };
  return { status: answer.hang ? NO_ANSWER : answer.status, programmed: answer };
}

/** Statuses that carry no body. */
const BODILESS = new Set([204, 304]);

function write(res: ServerResponse, status: number, answer: InboxAnswer, summary: Record<string, unknown>): void {
  if (res.headersSent || res.destroyed) return;
  const own = answer.body !== '';
  const body = Buffer.from(own ? answer.body : JSON.stringify(summary));
  const typed = answer.headers.some(([name]) => name.toLowerCase() === 'content-type');
  // A flat list keeps the programmed headers in their order, repeats included.
  const raw: string[] = [];
  if (!BODILESS.has(status)) {
    if (!typed) raw.push('content-type', own ? 'text/plain; charset=utf-8' : 'application/json; charset=utf-8');
    raw.push('content-length', String(body.length));
  }
  for (const [name, value] of answer.headers) raw.push(name, value);
  res.writeHead(status, raw);
  res.end(BODILESS.has(status) ? undefined : body);
}

/**
 * Answers as planned. A held connection is closed unanswered when the sender gives up, or at
 * `holdOpenMs` at the latest, so a sender that never does cannot keep sockets for ever.
 */
export function giveAnswer(res: ServerResponse, planned: PlannedAnswer, summary: Record<string, unknown>, holdOpenMs: number): void {
  const answer = planned.programmed;
  if (!answer) return send(res, planned.status, summary);
  if (!answer.hang && answer.delayMs <= 0) return write(res, planned.status, answer, summary);
  const timer = setTimeout(() => (answer.hang ? res.destroy() : write(res, planned.status, answer, summary)), answer.hang ? holdOpenMs : answer.delayMs);
  res.once('close', () => clearTimeout(timer));
}
