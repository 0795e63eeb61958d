import { create } from 'zustand';

export type ThemeChoice = 'system' | 'light' | 'dark';
export const THEME_CHOICES: ThemeChoice[] = ['system', 'light', 'dark'];

const KEY = 'hookbench.theme';
const darkQuery = () => (typeof matchMedia === 'undefined' ? null : matchMedia('(prefers-color-scheme: dark)'));

function stored(): ThemeChoice {
  try {
    const value = localStorage.getItem(KEY);
    return THEME_CHOICES.includes(value as ThemeChoice) ? (value as ThemeChoice) : 'system';
  } catch {
    return 'system';
  }
}

/** The colours on screen: the choice, or the OS's when the choice is "system". */
function apply(choice: ThemeChoice): void {
  const dark = choice === 'dark' || (choice === 'system' && darkQuery()?.matches === true);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
}

interface ThemeState {
  choice: ThemeChoice;
  choose(choice: ThemeChoice): void;
}

export const useTheme = create<ThemeState>((set) => ({
  choice: stored(),
  choose(choice) {
    try {
      localStorage.setItem(KEY, choice);
    } catch {
      // Storage refused (private mode): the choice still holds until the window closes.
    }
    apply(choice);
    set({ choice });
  },
}));

/** Applies the remembered theme before the first paint, and follows the OS while the choice is "system". */
export function startTheme(): void {
  apply(useTheme.getState().choice);
  darkQuery()?.addEventListener('change', () => apply(useTheme.getState().choice));
}
