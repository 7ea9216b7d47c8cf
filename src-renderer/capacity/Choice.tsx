import '../latency/charts/charts.css';

/** A radio group of buttons (the latency lab's window picker): Tab reaches it, arrows move within it. */
export function Choice<T extends string>({ label, options, value, onChange, names }: { label: string; options: readonly T[]; value: T; onChange(value: T): void; names?: Record<T, string> }) {
  return (
    <div className="lat-window" role="radiogroup" aria-label={label}>
      {options.map((option, index) => (
        <button
          key={option}
          type="button"
          role="radio"
          aria-checked={value === option}
          tabIndex={value === option ? 0 : -1}
          className={value === option ? 'active' : undefined}
          onClick={() => onChange(option)}
          onKeyDown={(event) => {
            const step = event.key === 'ArrowRight' || event.key === 'ArrowDown' ? 1 : event.key === 'ArrowLeft' || event.key === 'ArrowUp' ? -1 : 0;
            if (step === 0) return;
            event.preventDefault();
            const next = options[(index + step + options.length) % options.length]!;
            onChange(next);
            (event.currentTarget.parentElement?.children[options.indexOf(next)] as HTMLElement | undefined)?.focus();
          }}
        >
          {names?.[option] ?? option}
        </button>
      ))}
    </div>
  );
}

