import type { AttemptView, MessageView } from '../../../shared/types';
import { call } from './connection-store';
import { createPagedList, pageOf } from './paged-list';

/** The open endpoint's attempts (key: the endpoint id), newest first, with their total. */
export const useAttempts = createPagedList<AttemptView>(
  pageOf((id, page) => call('endpoints.attemptsPage', { id, ...page })),
  (a, id) => a.endpointId === id,
);

/** The open endpoint's messages, likewise. */
export const useMessages = createPagedList<MessageView>(
  pageOf((id, page) => call('endpoints.messagesPage', { id, ...page })),
  (m, id) => m.endpointId === id,
);
