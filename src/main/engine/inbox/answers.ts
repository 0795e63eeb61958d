import type { InboxAnswer } from '../../../shared/inbox-types';
import type { Db } from '../db/open';
import { answerForStorage, answerFromParams, type AnswerParams } from './answer-rules';
import { getInboxRow } from './inboxes';
import { storeAnswer } from './statements';

/** Sets what the inbox answers from its next request on (a running serve reads it per request). */
export function respondInbox(db: Db, id: string, params: AnswerParams): InboxAnswer {
  getInboxRow(db, id);
  const answer = answerFromParams(params);
  storeAnswer(db, id, answerForStorage(answer));
  return answer;
}
