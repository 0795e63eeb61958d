import { useId, type ReactNode } from 'react';

interface RadioGroupProps<T extends string> {
  legend: string;
  value: T;
  options: { id: T; label: ReactNode; disabled?: boolean }[];
  onChange(value: T): void;
}

/** A row of radio buttons under a legend. */
export function RadioGroup<T extends string>({ legend, value, options, onChange }: RadioGroupProps<T>) {
  const name = useId();
  return (
    <fieldset className="radios">
      <legend>{legend}</legend>
      {options.map((o) => (
        <label key={o.id} className={`check ${o.disabled ? 'disabled' : ''}`}>
          <input type="radio" name={name} value={o.id} checked={value === o.id} disabled={o.disabled} onChange={() => onChange(o.id)} />
          {o.label}
        </label>
      ))}
    </fieldset>
  );
}
