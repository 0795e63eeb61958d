interface TabsProps<T extends string> {
  value: T;
  options: { id: T; label: string }[];
  onChange(value: T): void;
  label: string;
}

export function Tabs<T extends string>({ value, options, onChange, label }: TabsProps<T>) {
  return (
    <div className="tabs" role="tablist" aria-label={label}>
      {options.map((o) => (
        <button key={o.id} type="button" role="tab" aria-selected={value === o.id} className={`tab ${value === o.id ? 'active' : ''}`} onClick={() => onChange(o.id)}>
          {o.label}
        </button>
      ))}
    </div>
  );
}
