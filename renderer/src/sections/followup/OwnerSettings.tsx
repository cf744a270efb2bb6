/** Owners: the people leads are routed to, each with a role and an optional team. */
import type { Owner } from '../../../../shared/contract';
import { OWNER_ROLE_LABELS } from '../../../../shared/followup/defaults';
import { call, type Notify } from '../../api';
import { ListEditor } from '../../components/ListEditor';
import { OwnerRoleSelect } from './OwnerRoleSelect';

type OwnerDraft = { id?: number; name: string; email: string; role: string; team: string; active: boolean };

const BLANK: OwnerDraft = { name: '', email: '', role: 'inside_sales', team: '', active: true };

/** Why a draft cannot be saved yet, in the user's words. */
export function ownerProblems(d: OwnerDraft, owners: readonly Owner[]): string[] {
  const problems: string[] = [];
  if (!d.name.trim()) problems.push('Give the owner a name.');
  const email = d.email.trim();
  if (!email) problems.push('Give the owner an email address.');
  else if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(email)) problems.push(`"${email}" is not an email address.`);
  else if (owners.some((o) => o.id !== d.id && o.email.toLowerCase() === email.toLowerCase()))
    problems.push(`Another owner already has ${email}.`);
  return problems;
}

export function OwnerSettings({ owners, onMessage }: Readonly<{ owners: readonly Owner[]; onMessage: Notify }>) {
  return (
    <ListEditor<Owner, OwnerDraft>
      title="Owners"
      noun="Owner"
      shortNoun="owner"
      emptyText="No owners yet. Add the people who follow up leads; routing rules assign MQLs to them."
      items={owners}
      itemName={(o) => o.name}
      isInactive={(o) => !o.active}
      columns={[
        { header: 'Name', cell: (o) => `${o.name}${o.active ? '' : ' (inactive)'}` },
        { header: 'Email', cell: (o) => o.email },
        { header: 'Role', cell: (o) => OWNER_ROLE_LABELS[o.role] ?? o.role },
        { header: 'Team', cell: (o) => o.team ?? '' },
        { header: 'Open leads', cell: (o) => o.openLeads.toLocaleString(), className: 'num' },
      ]}
      blank={() => ({ ...BLANK })}
      toDraft={(o) => ({ id: o.id, name: o.name, email: o.email, role: o.role, team: o.team ?? '', active: o.active })}
      validate={(d) => ownerProblems(d, owners)}
      save={(d) =>
        call('owner-save', {
          ...(d.id ? { id: d.id } : {}),
          name: d.name.trim(),
          email: d.email.trim(),
          role: d.role,
          team: d.team.trim() || null,
          active: d.active,
        })
      }
      savedMessage={(d) => `Saved ${d.name.trim()}`}
      remove={(o) => call('owner-delete', { id: o.id })}
      confirmRemove={(o) => `Delete ${o.name}? Their ${o.openLeads} open leads become unassigned.`}
      onMessage={onMessage}
      renderForm={(draft, change) => (
        <div className="fu-row fu-row--wrap">
          <input
            className="input"
            aria-label="Owner name"
            placeholder="Name"
            value={draft.name}
            onChange={(e) => change({ name: e.target.value })}
          />
          <input
            className="input"
            aria-label="Owner email"
            placeholder="Email"
            type="email"
            value={draft.email}
            onChange={(e) => change({ email: e.target.value })}
          />
          <OwnerRoleSelect label="Owner role" value={draft.role} onChange={(role) => change({ role })} />
          <input
            className="input"
            aria-label="Owner team"
            placeholder="Team (optional)"
            value={draft.team}
            onChange={(e) => change({ team: e.target.value })}
          />
          <label className="fu-check">
            <input type="checkbox" checked={draft.active} onChange={(e) => change({ active: e.target.checked })} />{' '}
            Active
          </label>
        </div>
      )}
    />
  );
}
