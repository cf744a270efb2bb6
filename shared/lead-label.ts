/**
 * A lead's human label, the one definition every screen, report and command uses: the
 * name, else the email, else the lead's key (the import key such as X Education's
 * "Prospect ID", or the column the user chose to show leads by), else "Lead <id>".
 */

export type LabelledLead = Readonly<{
  id: number;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  lead_key?: string | null;
}>;

function filled(v: string | null | undefined): string | null {
  const t = v?.trim();
  return t ? t : null;
}

export function leadLabel(lead: LabelledLead): string {
  const name = [filled(lead.first_name), filled(lead.last_name)].filter(Boolean).join(' ');
  return name || filled(lead.email) || filled(lead.lead_key) || `Lead ${lead.id}`;
}

/** The SQL columns leadLabel reads, for SELECT lists (prefix with a table alias if needed). */
export const LEAD_LABEL_COLUMNS = ['id', 'first_name', 'last_name', 'email', 'lead_key'] as const;
