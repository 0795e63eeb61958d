/**
 * The UI's pages in order: the renderer switches on Alt+<position>, and the desktop
 * menu lists the same items, so both read this one list.
 */
export const PAGES = [
  { id: 'packages', label: 'Packages' },
  { id: 'inboxes', label: 'Inboxes' },
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'debugger', label: 'Debugger' },
  { id: 'fixtures', label: 'Fixtures' },
  { id: 'tunnel', label: 'Tunnel' },
  { id: 'activity', label: 'Activity' },
  { id: 'storage', label: 'Storage' },
] as const;

export type PageId = (typeof PAGES)[number]['id'];
