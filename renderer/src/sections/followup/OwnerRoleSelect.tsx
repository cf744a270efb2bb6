import { OWNER_ROLES, OWNER_ROLE_LABELS } from '../../../../shared/followup/defaults';

/** A choice among the owner roles, by their labels (an owner's role, a routing rule's target role). */
export function OwnerRoleSelect({
  label,
  value,
  onChange,
}: Readonly<{ label: string; value: string; onChange: (role: string) => void }>) {
  return (
    <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)}>
      {OWNER_ROLES.map((r) => (
        <option key={r} value={r}>
          {OWNER_ROLE_LABELS[r]}
        </option>
      ))}
    </select>
  );
}
