/** The app's sections, in sidebar order. */
export const SECTIONS = [
  { id: 'leads', label: 'Leads', shortcut: '1' },
  { id: 'import', label: 'Import', shortcut: '2' },
  { id: 'scoring', label: 'Scoring', shortcut: '3' },
  { id: 'followup', label: 'Follow-up', shortcut: '4' },
  { id: 'reports', label: 'Reports', shortcut: '5' },
] as const;

export type SectionId = (typeof SECTIONS)[number]['id'];
