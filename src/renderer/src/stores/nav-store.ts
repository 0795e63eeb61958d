import { create } from 'zustand';

export type Page = 'packages' | 'deliveries' | 'endpoints' | 'debugger' | 'activity';

export const PAGES: { id: Page; label: string }[] = [
  { id: 'packages', label: 'Packages' },
  { id: 'deliveries', label: 'Deliveries' },
  { id: 'endpoints', label: 'Endpoints' },
  { id: 'debugger', label: 'Debugger' },
  { id: 'activity', label: 'Activity' },
];

interface NavState {
  page: Page;
  helpOpen: boolean;
  go(page: Page): void;
  toggleHelp(open?: boolean): void;
}

export const useNav = create<NavState>((set) => ({
  page: 'packages',
  helpOpen: false,
  go: (page) => set({ page }),
  toggleHelp: (open) => set((s) => ({ helpOpen: open ?? !s.helpOpen })),
}));
