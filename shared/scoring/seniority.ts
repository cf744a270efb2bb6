/**
 * Seniority from a free-text job title. Titles in imported spreadsheets are messy
 * ("Sr. VP, Sales", "CEO & Co-Founder", "Head of Growth"); fit rules want a small,
 * stable vocabulary to give points to, so the model can say "C-level" instead of a regex.
 */

/** Seniority levels, most senior first. */
export const SENIORITY_LEVELS = [
  'c_level',
  'vp',
  'director',
  'head',
  'manager',
  'individual',
  'intern',
  'student',
  'unknown',
] as const;

export type Seniority = (typeof SENIORITY_LEVELS)[number];

export const SENIORITY_LABELS: Readonly<Record<Seniority, string>> = {
  c_level: 'C-level / founder',
  vp: 'VP',
  director: 'Director',
  head: 'Head of',
  manager: 'Manager / lead',
  individual: 'Individual contributor',
  intern: 'Intern / trainee',
  student: 'Student',
  unknown: 'Unknown (no title)',
};

// Order matters: "Vice President" before "President", "Managing Director" before "Director",
// students and interns before everything (a "Student Director" is still a student).
const RULES: readonly (readonly [Seniority, RegExp])[] = [
  ['student', /\b(student|undergrad(uate)?|phd candidate|pupil|graduate assistant)\b/],
  ['intern', /\b(intern|internship|trainee|apprentice|werkstudent)\b/],
  ['vp', /\b(vice[\s-]+president|s?vp|evp|avp)\b/],
  [
    'c_level',
    /\b(chief|ceo|cto|cfo|coo|cmo|cio|ciso|cro|cpo|cdo|founder|co-?founder|president|owner|managing director|general manager|partner|proprietor)\b/,
  ],
  ['head', /\bhead\b/],
  ['director', /\b(director|dir)\b/],
  ['manager', /\b(manager|mgr|supervisor|team lead|lead|principal)\b/],
];

// Titles repeat across a workspace ("Marketing Manager" thousands of times): remember the
// verdicts, bounded so a workspace of unique titles cannot grow it without limit.
const memo = new Map<string, Seniority>();

function classify(title: string): Seniority {
  const t = title
    .trim()
    .toLowerCase()
    .replace(/[._/&,]+/g, ' ');
  if (t === '') return 'unknown';
  for (const [level, re] of RULES) if (re.test(t)) return level;
  return 'individual';
}

/** Classifies a job title; blank titles are 'unknown', unrecognised ones 'individual'. */
export function titleSeniority(title: string | null | undefined): Seniority {
  if (title == null) return 'unknown';
  let level = memo.get(title);
  if (level === undefined) {
    level = classify(title);
    if (memo.size >= 20_000) memo.clear();
    memo.set(title, level);
  }
  return level;
}
