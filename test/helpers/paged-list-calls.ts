import type { MethodName } from '../../src/shared/contract';

/** Every paged list the window and the CLI read (each page and its total), for the query-plan checks on both stores. */
export function pagedListCalls(ids: { packageId: string; endpointId: string; inboxId: string }): [MethodName, object][] {
  return [
    ['deliveries.page', {}],
    ['deliveries.page', { packageId: ids.packageId }],
    ['deliveries.page', { outcome: 'captured' }],
    // The window's time ranges: a count of the received-time index's range, never of the table.
    ['deliveries.page', { since: Date.now() - 86_400_000 }],
    ['activity.page', {}],
    ['activity.page', { packageId: ids.packageId }],
    ['releases.page', { packageId: ids.packageId }],
    ['endpoints.attemptsPage', { id: ids.endpointId }],
    ['endpoints.messagesPage', { id: ids.endpointId }],
    ['inboxes.capturesPage', { id: ids.inboxId }],
    ['inboxes.capturesPage', { id: ids.inboxId, event: 'a', verdict: 'valid' }],
  ];
}
