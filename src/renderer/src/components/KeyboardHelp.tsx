import { PAGES, useNav } from '../stores/nav-store';
import { Kbd } from './bits';

const KEYS: [string, string][] = [
  ...PAGES.map((p, i): [string, string] => [`Alt+${i + 1}`, p.label]),
  ['/', 'Search deliveries'],
  ['j / ↓', 'Next delivery'],
  ['k / ↑', 'Previous delivery'],
  ['Enter', 'Open the delivery under the cursor'],
  ['x / Ctrl+click', 'Select a delivery for export'],
  ['Esc', 'Close the delivery, a dialog, or this help'],
  ['?', 'Show this help'],
];

export function KeyboardHelp() {
  const open = useNav((s) => s.helpOpen);
  const toggle = useNav((s) => s.toggleHelp);
  if (!open) return null;
  return (
    <div className="overlay" role="presentation" onClick={() => toggle(false)}>
      <section className="card help" role="dialog" aria-label="Keyboard shortcuts" onClick={(e) => e.stopPropagation()}>
        <h3>Keyboard shortcuts</h3>
        <table className="grid">
          <tbody>
            {KEYS.map(([k, what]) => (
              <tr key={k}>
                <td>
                  <Kbd>{k}</Kbd>
                </td>
                <td>{what}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <button type="button" className="btn" onClick={() => toggle(false)}>
          Close
        </button>
      </section>
    </div>
  );
}
