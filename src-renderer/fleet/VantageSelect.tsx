import { useId } from 'react';
import type { FleetVantage } from '../../src-shared/contract/fleet';
import { ALL_VANTAGES, LOCAL_VANTAGE, LOCAL_VANTAGE_LABEL } from '../../src-shared/contract/vantage';

/**
 * "from: this machine | <vantage> | all", a native select: arrow keys and type-ahead work as everywhere, and a
 * screen reader says the choice with its label.
 */
export function VantageSelect({ value, onChange, team, label = 'From' }: { value: string; onChange(vantage: string): void; team: readonly FleetVantage[]; label?: string }) {
  const id = useId();
  return (
    <span className="lat-field lat-inline fleet-vantage-select">
      <label htmlFor={id}>{label}</label>
      <select id={id} value={value} onChange={(event) => onChange(event.target.value)} data-testid="vantage-select">
        <option value={LOCAL_VANTAGE}>{LOCAL_VANTAGE_LABEL}</option>
        {team.map((vantage) => (
          <option key={vantage.name} value={vantage.name}>
            {vantage.label}
          </option>
        ))}
        <option value={ALL_VANTAGES}>all ({team.length + 1} vantages)</option>
      </select>
    </span>
  );
}
