import { useId } from 'react';
import { FieldProblem } from './FieldProblem';

export interface SendingValues {
  timeoutSeconds: string;
  maxInFlight: string;
}

interface Props {
  value: SendingValues;
  problems: { timeout: string | null; maxInFlight: string | null };
  onChange(next: SendingValues): void;
}

/** How long one attempt may take and how many go at once (the CLI's --timeout-ms and --max-in-flight). */
export function SendingFields({ value, problems, onChange }: Props) {
  const timeoutId = useId();
  const flightId = useId();
  return (
    <div className="form-grid">
      <div className="field">
        <label htmlFor={timeoutId}>Timeout (seconds)</label>
        <input id={timeoutId} inputMode="decimal" value={value.timeoutSeconds} onChange={(e) => onChange({ ...value, timeoutSeconds: e.target.value })} />
        <span className="hint-text">An attempt with no answer by then fails and is retried. 0.1 to 120.</span>
        <FieldProblem id={`${timeoutId}-problem`} message={problems.timeout} />
      </div>
      <div className="field">
        <label htmlFor={flightId}>Max in flight</label>
        <input id={flightId} inputMode="numeric" value={value.maxInFlight} onChange={(e) => onChange({ ...value, maxInFlight: e.target.value })} />
        <span className="hint-text">Requests sent at once to this URL. 1 keeps them in order.</span>
        <FieldProblem id={`${flightId}-problem`} message={problems.maxInFlight} />
      </div>
    </div>
  );
}

/** Seconds as typed to milliseconds within the engine's range, or why not. */
export function timeoutMs(text: string): { value: number } | { error: string } {
  const seconds = Number(text.trim().replace(',', '.'));
  if (text.trim() === '' || !Number.isFinite(seconds) || seconds < 0.1 || seconds > 120) return { error: 'The timeout is a number of seconds from 0.1 to 120, for example 10.' };
  return { value: Math.round(seconds * 1000) };
}
