/**
 * Sample datasets offered on first run. Everything is local: the small sample the app ships
 * in resources/samples, and the real public datasets in ../shared/data/real when present
 * (development checkouts). Nothing is fetched from the network.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { SampleDataset } from '../../../shared/contract';

export type SampleFile = Readonly<{ file: string; kind: 'leads' | 'activities'; keyColumn?: string }>;

export type SampleDefinition = Readonly<{
  id: string;
  label: string;
  description: string;
  files: readonly SampleFile[];
}>;

export const SAMPLES: readonly SampleDefinition[] = [
  {
    id: 'starter',
    label: 'Starter sample (shipped with Leadbench)',
    description: '200 made-up B2B leads with 1,500 web, email and webinar activities.',
    files: [
      { file: 'starter-leads.csv', kind: 'leads' },
      { file: 'starter-activities.csv', kind: 'activities' },
    ],
  },
  {
    id: 'xeducation',
    label: 'X Education leads (real, 9,240 rows)',
    description: 'Anonymised leads of an online-education company, keyed by Prospect ID.',
    files: [{ file: 'xeducation_leads.csv', kind: 'leads', keyColumn: 'Prospect ID' }],
  },
];

/** Finds a sample file in the sample folders, first match wins. */
export function findSampleFile(dirs: readonly string[], file: string): string | null {
  for (const dir of dirs) {
    const p = join(dir, file);
    if (existsSync(p)) return p;
  }
  return null;
}

export function listSamples(dirs: readonly string[]): SampleDataset[] {
  return SAMPLES.map((s) => ({
    id: s.id,
    label: s.label,
    description: s.description,
    available: s.files.every((f) => findSampleFile(dirs, f.file) !== null),
  }));
}
