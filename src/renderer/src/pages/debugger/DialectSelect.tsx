import { Field } from '../../components/Field';
import { useDialects } from '../../stores/dialects-store';

interface Props {
  value: string;
  onChange(value: string): void;
  /** Label of the empty choice; without it a dialect must be picked. */
  anyLabel?: string;
  label?: string;
}

export function DialectSelect({ value, onChange, anyLabel, label = 'Dialect' }: Props) {
  const dialects = useDialects((s) => s.dialects);
  return (
    <Field label={label}>
      {(id) => (
        <select id={id} value={value} onChange={(e) => onChange(e.target.value)}>
          {anyLabel !== undefined ? <option value="">{anyLabel}</option> : null}
          {dialects.map((d) => (
            <option key={d.name} value={d.name}>
              {d.label}
            </option>
          ))}
        </select>
      )}
    </Field>
  );
}
