import { listDeliveries } from '../store/deliveries';
import { respondInbox } from '../inbox/answers';
import { addInbox, getInbox, listInboxes, removeInbox, updateInbox } from '../inbox/inboxes';
import { forwardTarget } from '../inbox/forward/sqlite-target-ops';
import { rotateInboxSecret } from '../inbox/rotate';
import { inboxTimeline } from '../inbox/timeline';
import type { HandlerContext, Handlers } from './handlers';

type InboxMethods =
  | 'inboxes.add'
  | 'inboxes.list'
  | 'inboxes.update'
  | 'inboxes.get'
  | 'inboxes.remove'
  | 'inboxes.captures'
  | 'inboxes.respond'
  | 'inboxes.forward'
  | 'inboxes.timeline'
  | 'inboxes.rotate';

export function createInboxHandlers({ db, box }: HandlerContext): Pick<Handlers, InboxMethods> {
  return {
    'inboxes.add': (p) => addInbox(db, box, p),
    'inboxes.list': () => listInboxes(db),
    'inboxes.update': ({ id, ...patch }) => updateInbox(db, id, patch),
    'inboxes.get': ({ id }) => getInbox(db, id),
    'inboxes.remove': ({ id }) => removeInbox(db, id),
    'inboxes.captures': ({ id, beforeId, limit }) => {
      getInbox(db, id);
      return listDeliveries(db, { hookId: id, beforeId, limit });
    },
    'inboxes.respond': ({ id, ...answer }) => respondInbox(db, id, answer),
    'inboxes.forward': ({ id, ...target }) => db.transaction((tx) => forwardTarget(tx, id, target)),
    'inboxes.timeline': ({ id, eventId, limit }) => inboxTimeline(db, id, { eventId, limit }),
    'inboxes.rotate': ({ id, secret, overlapSeconds }) => rotateInboxSecret(db, box, id, { secret, overlapMs: overlapSeconds === undefined ? undefined : overlapSeconds * 1000 }),
  };
}
