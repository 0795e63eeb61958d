import type { DialectInfo } from '../../../../shared/types';
import { duration } from '../../lib/format';
import { HelpText } from '../../components/HelpText';

interface Props {
  dialect: DialectInfo | undefined;
  mode: 'default' | 'custom';
  text: string;
  onChange(next: { mode: 'default' | 'custom'; text: string }): void;
}

export function RetryField({ dialect, mode, text, onChange }: Props) {
  return (
    <fieldset className="checks" aria-label="Retry schedule">
      <legend>Retry schedule</legend>
      <label className="check">
        <input type="radio" name="retry" checked={mode === 'default'} onChange={() => onChange({ mode: 'default', text })} />
        <span>
          {dialect ? `${dialect.label} default: ${dialect.retry.delaysSeconds.map(duration).join(', ')}` : 'The dialect default'}
        </span>
      </label>
      <label className="check">
        <input type="radio" name="retry" checked={mode === 'custom'} onChange={() => onChange({ mode: 'custom', text })} />
        <span>Custom</span>
      </label>
      {mode === 'custom' ? (
        <input
          aria-label="Retry delays"
          className="mono"
          placeholder="0, 30s, 5m, 1h (empty: never retry)"
          value={text}
          onChange={(e) => onChange({ mode, text: e.target.value })}
        />
      ) : null}
      {dialect ? <p className="hint-text"><HelpText text={dialect.retry.description} /></p> : null}
    </fieldset>
  );
}
