import { THEME_CHOICES, useTheme, type ThemeChoice } from '../stores/theme-store';

const LABEL: Record<ThemeChoice, string> = { system: 'System theme', light: 'Light theme', dark: 'Dark theme' };
const ICON: Record<ThemeChoice, string> = { system: 'Auto', light: 'Light', dark: 'Dark' };

/** Light, dark, or as the OS says; remembered on this machine. */
export function ThemeSwitch() {
  const choice = useTheme((s) => s.choice);
  const choose = useTheme((s) => s.choose);
  return (
    <div className="theme-switch" role="radiogroup" aria-label="Theme">
      {THEME_CHOICES.map((c) => (
        <button key={c} type="button" role="radio" aria-checked={choice === c} aria-label={LABEL[c]} title={LABEL[c]} className={choice === c ? 'on' : ''} onClick={() => choose(c)}>
          {ICON[c]}
        </button>
      ))}
    </div>
  );
}
