import { create } from 'zustand';
import { PAGES, type PageId } from '../../../shared/pages';

export { PAGES };
export type Page = PageId;

/** "#deliveries?outcome=rejected" → the page and what follows its "?". */
export function splitHash(hash: string): { page: Page | null; query: string } {
  const text = hash.replace(/^#/, '');
  const at = text.indexOf('?');
  const name = at === -1 ? text : text.slice(0, at);
  return { page: PAGES.find((p) => p.id === name)?.id ?? null, query: at === -1 ? '' : text.slice(at + 1) };
}

/** The page named in the address's #fragment, so a reload (or a link) opens the same page. */
function pageFromHash(): Page {
  return (typeof location === 'undefined' ? null : splitHash(location.hash).page) ?? 'packages';
}

/** Pages that keep a view in the address (Deliveries' filters) say what follows their name. */
const pageQueries: Partial<Record<Page, () => string>> = {};
export function setPageQuery(page: Page, query: () => string): void {
  pageQueries[page] = query;
}

interface NavState {
  page: Page;
  helpOpen: boolean;
  go(page: Page): void;
  toggleHelp(open?: boolean): void;
}

export const useNav = create<NavState>((set) => ({
  page: pageFromHash(),
  helpOpen: false,
  go: (page) => {
    const query = pageQueries[page]?.() ?? '';
    // Replace, not push: the app has no back-navigation of its own to keep in step.
    if (typeof history !== 'undefined') history.replaceState(null, '', `${location.pathname}${location.search}#${page}${query ? `?${query}` : ''}`);
    set({ page });
  },
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
}));
