/**
 * Export presets for teams moving leads into a CRM: each preset names its columns the way
 * the target's importer documents them, so its import wizard maps them without manual work.
 *
 * - HubSpot: contact property labels, which the HubSpot import tool matches automatically
 *   ("First Name", "Email", "Phone Number", "Company Name", "Country/Region", "Lifecycle
 *   Stage" with its internal values, "Contact owner" as the owner's email).
 * - Salesforce: Lead field API names, which Data Loader and the Data Import Wizard
 *   auto-map (FirstName, LastName, Company, LeadSource, NumberOfEmployees, Status, Rating).
 * - Pipedrive: the "Item - Field" headers Pipedrive writes in its own exports and matches on
 *   import ("Lead - Title", "Person - Name", "Organization - Name", ...).
 *
 * A preset column reads base export columns (./columns.ts) and may translate the value (our
 * stage keys to the target's picklist values). Pure: the backend supplies the row.
 */
import type { ExportColumnKind } from './columns';

export type PresetCellValue = string | number | null;

export type PresetColumn = Readonly<{
  header: string;
  kind: ExportColumnKind;
  /** Base column keys this column reads. */
  reads: readonly string[];
  value: (get: (key: string) => PresetCellValue) => PresetCellValue;
}>;

export type ExportPreset = Readonly<{
  id: 'hubspot' | 'salesforce' | 'pipedrive';
  label: string;
  description: string;
  columns: readonly PresetColumn[];
}>;

export type ExportPresetId = ExportPreset['id'];

function copy(header: string, key: string, kind: ExportColumnKind = 'text'): PresetColumn {
  return { header, kind, reads: [key], value: (get) => get(key) };
}

function mapStage(table: Readonly<Record<string, string>>): (get: (key: string) => PresetCellValue) => PresetCellValue {
  return (get) => {
    const stage = get('stage');
    return typeof stage === 'string' ? (table[stage] ?? null) : null;
  };
}

function fullName(get: (key: string) => PresetCellValue): PresetCellValue {
  const parts = [get('first_name'), get('last_name')].filter((p): p is string => typeof p === 'string' && p !== '');
  return parts.length ? parts.join(' ') : null;
}

/** HubSpot lifecycle stage internal values. */
const HUBSPOT_LIFECYCLE: Readonly<Record<string, string>> = {
  new: 'lead',
  mql: 'marketingqualifiedlead',
  sal: 'salesqualifiedlead',
  sql: 'salesqualifiedlead',
  opportunity: 'opportunity',
  won: 'customer',
  lost: 'other',
  recycled: 'lead',
  disqualified: 'other',
};

/** HubSpot lead status internal values. */
const HUBSPOT_LEAD_STATUS: Readonly<Record<string, string>> = {
  new: 'NEW',
  mql: 'NEW',
  sal: 'OPEN',
  sql: 'IN_PROGRESS',
  opportunity: 'OPEN_DEAL',
  lost: 'UNQUALIFIED',
  recycled: 'BAD_TIMING',
  disqualified: 'UNQUALIFIED',
};

/** Salesforce's default Lead Status picklist. */
const SALESFORCE_STATUS: Readonly<Record<string, string>> = {
  new: 'Open - Not Contacted',
  mql: 'Open - Not Contacted',
  sal: 'Working - Contacted',
  sql: 'Working - Contacted',
  recycled: 'Working - Contacted',
  opportunity: 'Closed - Converted',
  won: 'Closed - Converted',
  lost: 'Closed - Not Converted',
  disqualified: 'Closed - Not Converted',
};

/** Salesforce's Rating picklist (Hot, Warm, Cold), when our segment uses those names. */
function salesforceRating(get: (key: string) => PresetCellValue): PresetCellValue {
  const seg = get('segment');
  if (typeof seg !== 'string') return null;
  const s = seg.trim().toLowerCase();
  return s === 'hot' ? 'Hot' : s === 'warm' ? 'Warm' : s === 'cold' ? 'Cold' : null;
}

export const EXPORT_PRESETS: readonly ExportPreset[] = [
  {
    id: 'hubspot',
    label: 'HubSpot contacts',
    description: 'Contact property names the HubSpot import tool maps automatically.',
    columns: [
      copy('Email', 'email'),
      copy('First Name', 'first_name'),
      copy('Last Name', 'last_name'),
      copy('Phone Number', 'phone'),
      copy('Company Name', 'company'),
      copy('Job Title', 'title'),
      copy('Industry', 'industry'),
      copy('Number of Employees', 'company_size', 'number'),
      copy('Country/Region', 'country'),
      copy('City', 'city'),
      copy('Website URL', 'website'),
      { header: 'Lifecycle Stage', kind: 'text', reads: ['stage'], value: mapStage(HUBSPOT_LIFECYCLE) },
      { header: 'Lead Status', kind: 'text', reads: ['stage'], value: mapStage(HUBSPOT_LEAD_STATUS) },
      copy('Contact owner', 'owner_email'),
    ],
  },
  {
    id: 'salesforce',
    label: 'Salesforce leads',
    description: 'Lead field API names that Data Loader and the Data Import Wizard map automatically.',
    columns: [
      copy('FirstName', 'first_name'),
      copy('LastName', 'last_name'),
      copy('Email', 'email'),
      copy('Company', 'company'),
      copy('Title', 'title'),
      copy('Phone', 'phone'),
      copy('Industry', 'industry'),
      copy('NumberOfEmployees', 'company_size', 'number'),
      copy('Country', 'country'),
      copy('City', 'city'),
      copy('Website', 'website'),
      copy('LeadSource', 'source'),
      { header: 'Status', kind: 'text', reads: ['stage'], value: mapStage(SALESFORCE_STATUS) },
      { header: 'Rating', kind: 'text', reads: ['segment'], value: salesforceRating },
    ],
  },
  {
    id: 'pipedrive',
    label: 'Pipedrive leads',
    description: 'The "Item - Field" headers Pipedrive uses in its own exports and import mapping.',
    columns: [
      {
        header: 'Lead - Title',
        kind: 'text',
        reads: ['company', 'first_name', 'last_name', 'email'],
        value: (get) => get('company') ?? fullName(get) ?? get('email'),
      },
      { header: 'Person - Name', kind: 'text', reads: ['first_name', 'last_name'], value: fullName },
      copy('Person - First name', 'first_name'),
      copy('Person - Last name', 'last_name'),
      copy('Person - Email', 'email'),
      copy('Person - Phone', 'phone'),
      copy('Person - Job title', 'title'),
      copy('Organization - Name', 'company'),
      {
        header: 'Organization - Address',
        kind: 'text',
        reads: ['city', 'country'],
        value: (get) => {
          const parts = [get('city'), get('country')].filter((p): p is string => typeof p === 'string' && p !== '');
          return parts.length ? parts.join(', ') : null;
        },
      },
      copy('Lead - Owner', 'owner_email'),
      copy('Lead - Source', 'source'),
    ],
  },
];

export function exportPreset(id: string): ExportPreset | undefined {
  return EXPORT_PRESETS.find((p) => p.id === id);
}
