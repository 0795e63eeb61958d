import { useId } from 'react';
import { RadioGroup } from '../../../components/RadioGroup';
import { usePackages } from '../../../stores/packages-store';
import { FieldProblem } from './FieldProblem';

export type RelayValue = { packageId: string; mode: 'original' | 'resign' } | null;

/** Forward a package's raw deliveries to this endpoint (the CLI's --relay-package and --relay-mode). */
export function RelayField({ value, problem, onChange }: { value: RelayValue; problem: string | null; onChange(next: RelayValue): void }) {
  const packages = usePackages((s) => s.packages);
  const id = useId();
  return (
    <div className="relay-field">
      <div className="field">
        <label htmlFor={id}>Relay a package's deliveries</label>
        <select id={id} value={value?.packageId ?? ''} onChange={(e) => onChange(e.target.value ? { packageId: e.target.value, mode: value?.mode ?? 'original' } : null)}>
          <option value="">No relay: send Hookbench events only</option>
          {packages.map((p) => (
            <option key={p.id} value={p.id}>
              {p.name} ({p.repo})
            </option>
          ))}
        </select>
        <span className="hint-text">Each request the package's hook receives is also sent here, byte for byte, whatever events are picked.</span>
        <FieldProblem id={`${id}-problem`} message={problem} />
      </div>
      {value ? (
        <RadioGroup
          legend="Relay as"
          value={value.mode}
          onChange={(mode) => onChange({ ...value, mode })}
          options={[
            { id: 'original', label: "The provider's request, its signature kept (credential headers never forwarded)" },
            { id: 'resign', label: "Re-signed in this endpoint's dialect, with its secret" },
          ]}
        />
      ) : null}
    </div>
  );
}
