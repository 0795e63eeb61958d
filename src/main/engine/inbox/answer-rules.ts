/**
 * What an inbox may be told to answer, checked when it is set rather than when a sender is
 * waiting: a header Node would refuse to write, or a status that is not a final answer,
 * is named here and nothing is changed.
 */
import { validateHeaderName, validateHeaderValue } from 'node:http';
import { ApiError } from '../../../shared/contract';
import { DEFAULT_INBOX_ANSWER, type InboxAnswer } from '../../../shared/inbox-types';

export interface AnswerParams {
  reset?: boolean | undefined;
  status?: number | undefined;
  headers?: [string, string][] | undefined;
  body?: string | undefined;
  delayMs?: number | undefined;
  failFirst?: number | null | undefined;
  failRatio?: number | null | undefined;
  hang?: boolean | undefined;
}

/** Set by Hookbench for each answer, or about the connection rather than the answer. */
const OWN_HEADERS = new Set(['content-length', 'transfer-encoding', 'connection', 'keep-alive', 'upgrade', 'te', 'trailer', 'proxy-connection']);

const refuse = (message: string): never => {
  throw new ApiError('invalid_params', message);
};

function checkHeaders(headers: [string, string][]): void {
  for (const [name, value] of headers) {
    if (OWN_HEADERS.has(name.toLowerCase())) refuse(`The answer cannot set ${name}: Hookbench writes it for each answer.`);
    try {
      validateHeaderName(name);
      validateHeaderValue(name, value);
    } catch {
      refuse(`"${name}: ${value.slice(0, 100)}" is not a valid HTTP header (a name is letters, digits and !#$%&'*+-.^_\`|~; a value has no line breaks).`);
    }
  }
}

/** The whole answer from what was given (anything not given takes the default); `reset` goes back to 2xx at once. */
export function answerFromParams(params: AnswerParams): InboxAnswer {
  const { reset, ...given } = params;
  const setting = Object.entries(given).some(([, v]) => v !== undefined);
  if (reset) {
    if (setting) refuse('reset goes back to 2xx at once: give it alone.');
    return DEFAULT_INBOX_ANSWER;
  }
  if (given.status !== undefined && given.status < 200) refuse(`Status ${given.status} is not a final answer: give one from 200 to 599.`);
  if (given.hang && (given.status !== undefined || given.body !== undefined || given.headers?.length || given.delayMs)) {
    refuse('hang holds the connection open without answering, so it takes no status, headers, body or delay.');
  }
  checkHeaders(given.headers ?? []);
  return {
    status: given.status ?? DEFAULT_INBOX_ANSWER.status,
    headers: given.headers ?? [],
    body: given.body ?? '',
    delayMs: given.delayMs ?? 0,
    failFirst: given.failFirst ?? null,
    failRatio: given.failRatio ?? null,
    hang: given.hang ?? false,
  };
}

export const isDefaultAnswer = (answer: InboxAnswer) =>
  (Object.keys(DEFAULT_INBOX_ANSWER) as (keyof InboxAnswer)[]).every((key) => JSON.stringify(answer[key]) === JSON.stringify(DEFAULT_INBOX_ANSWER[key]));

/** The stored form: null for the default, so the receiver skips an answer it need not plan. */
export const answerForStorage = (answer: InboxAnswer): string | null => (isDefaultAnswer(answer) ? null : JSON.stringify(answer));

/** The answer as stored; a missing or unreadable one is the default, never a refusal to answer. */
export function storedAnswer(text: string | null): InboxAnswer {
  if (text === null) return DEFAULT_INBOX_ANSWER;
  try {
    return { ...DEFAULT_INBOX_ANSWER, ...(JSON.parse(text) as Partial<InboxAnswer>) };
  } catch {
    return DEFAULT_INBOX_ANSWER;
  }
}
