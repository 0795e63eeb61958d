/** How inbox answers and retry timelines read in a terminal. */
import type { InboxAnswer, InboxTimelineEntry } from '../../shared/inbox-types';

/** Sender-chosen text (event ids) shown inertly: control characters never reach the terminal. */
const inert = (text: string) => text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '\u00b7');

const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

/** A gap since the first arrival: seconds to a tenth, minutes or hours once they read better. */
export function gap(ms: number): string {
  if (ms === 0) return '+0 s';
  const s = ms / 1000;
  if (s < 1000) return `+${s.toFixed(1)} s`;
  if (s < 60_000) return `+${(s / 60).toFixed(1)} min`;
  return `+${(s / 3600).toFixed(1)} h`;
}

const statusText = (status: number | null) => (status === null || status === 0 ? 'no answer' : String(status));

/** "evt_1: 3 arrivals — +0 s 500, +10.0 s 500, +110.1 s 500" */
export const timelineLine = (entry: InboxTimelineEntry) =>
  `${inert(entry.eventId)}: ${plural(entry.arrivals.length, 'arrival')} \u2014 ${entry.arrivals.map((a) => `${gap(a.sinceFirstMs)} ${statusText(a.answeredStatus)}`).join(', ')}`;

/** One line: what the inbox answers and to which arrivals. */
export function answerText(answer: InboxAnswer): string {
  const what = answer.hang
    ? 'holds the connection open without answering'
    : [
        `answers ${answer.status}`,
        answer.delayMs > 0 ? `after ${answer.delayMs} ms` : 'at once',
        answer.headers.length > 0 ? `with ${answer.headers.map(([k, v]) => `${inert(k)}: ${inert(v)}`).join('; ')}` : '',
        answer.body !== '' ? `and a ${Buffer.byteLength(answer.body)}-byte body` : '',
      ]
        .filter(Boolean)
        .join(' ');
  const who = [
    answer.failFirst !== null ? `the first ${plural(answer.failFirst, 'arrival')} of each event` : '',
    answer.failRatio !== null ? `${answer.failFirst !== null ? 'then ' : ''}${Math.round(answer.failRatio * 1000) / 10} % of arrivals at random` : '',
  ].filter(Boolean);
  return who.length === 0 ? `${what}, to every arrival` : `${what} to ${who.join(', ')}; 200 at once to the rest`;
}
