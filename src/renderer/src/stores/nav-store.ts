import { create } from 'zustand';
import { PAGES, type PageId } from '../../../shared/pages';

export { PAGES };
export type Page = PageId;

/** The page named in the address's #fragment, so a reload (or a link) opens the same page. */
function pageFromHash(): Page {
  const name = typeof location === 'undefined' ? '' : location.hash.slice(1);
  return PAGES.find((p) => p.id === name)?.id ?? 'packages';
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
    // Replace, not push: the app has no back-navigation of its own to keep in step.
    if (typeof history !== 'undefined') history.replaceState(null, '', `${location.pathname}${location.search}#${page}`);
    set({ page });
  },
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
}));
