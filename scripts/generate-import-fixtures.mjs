// Writes the small import fixtures in test/fixtures/import/: one file per encoding,
// delimiter and quirk the importer must handle, an XLSX with two sheets, a Zoom-style
// multi-section webinar export, and unreadable files. Deterministic; the files are
// committed, this script documents and regenerates them:  node scripts/generate-import-fixtures.mjs
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import * as XLSX from '@e965/xlsx';

const out = join(dirname(fileURLToPath(import.meta.url)), '..', 'test', 'fixtures', 'import');
mkdirSync(out, { recursive: true });
const w = (name, data) => writeFileSync(join(out, name), data);

// Five people with accented names and a euro sign, the same in every encoding fixture.
const PEOPLE = [
  ['Email', 'First Name', 'Last Name', 'Company', 'Job Title', 'Notes'],
  ['renee.muller@cafe-zurich.example', 'Renée', 'Müller', 'Café Zürich GmbH', 'Geschäftsführerin', 'Budget 5.000 €'],
  ['jose.garcia@example.com', 'José', 'García', 'Añil Soluciones', 'Director de TI', 'Presupuesto 12 000 €'],
  [
    'francois.leclerc@example.org',
    'François',
    'Leclerc',
    'Société Générale Démo',
    'Responsable Achats',
    'Prêt à signer',
  ],
  ['jurgen.bauer@example.net', 'Jürgen', 'Bauer', 'Bäckerei Bauer', 'Inhaber', 'Größe: 12 Mitarbeiter'],
  ['ana.sousa@example.com', 'Ana', 'Sousa', 'Pão & Cia', 'CEO', 'Orçamento 3 000 €'],
];
const line = (cells, d = ',') => cells.map((c) => (/[",\r\n;|\t]/.test(c) ? `"${c.replace(/"/g, '""')}"` : c)).join(d);
const text = (rows, d = ',', nl = '\r\n') => rows.map((r) => line(r, d)).join(nl) + nl;

const peopleCsv = text(PEOPLE);
w('utf8.csv', Buffer.from(peopleCsv, 'utf8'));
w('utf8-bom.csv', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(peopleCsv, 'utf8')]));
w('utf16le.csv', Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(peopleCsv, 'utf16le')]));
const be = Buffer.from(peopleCsv, 'utf16le');
for (let i = 0; i < be.length; i += 2) [be[i], be[i + 1]] = [be[i + 1], be[i]];
w('utf16be.csv', Buffer.concat([Buffer.from([0xfe, 0xff]), be]));
// Windows-1252: Latin-1 plus € at 0x80 (what Excel on Windows writes).
w('windows-1252.csv', Buffer.from([...peopleCsv].map((c) => (c === '€' ? 0x80 : c.charCodeAt(0)))));

w('semicolon.csv', text(PEOPLE, ';'));
w('tab.tsv', text(PEOPLE, '\t', '\n'));
w('pipe.txt', text(PEOPLE, '|', '\n'));

w(
  'quoted-newlines.csv',
  'Email,Full Notes,Company,Title\r\n' +
    'a.one@example.com,"Met at the booth.\r\nAsked for pricing, then a demo.","Acme, Inc.",CTO\r\n' +
    'b.two@example.com,"Line one\nline two\nline ""three""",Globex,VP Sales\r\n' +
    'c.three@example.com,,Initech,"Manager, IT"\r\n',
);
w(
  'trailing-column.csv',
  'Email,First Name,Company,\n' +
    'x.one@example.com,Xavier,Umbrella,\n' +
    'y.two@example.com,Yara,Hooli,\n' +
    'z.three@example.com,Zed,Vandelay,\n',
);
w(
  'placeholders.csv',
  text([
    ['Email', 'City', 'Job Title', 'Specialization'],
    ['p.one@example.com', 'Select', 'N/A', 'Finance'],
    ['p.two@example.com', 'Mumbai', '-', 'Select'],
    ['p.three@example.com', 'Pune', 'Analyst', 'Marketing'],
  ]),
);
w(
  'bad-rows.csv',
  text([
    ['Email', 'Prospect ID', 'Company', 'Employees'],
    ['good.one@example.com', 'P-1', 'Good Co', '51-200'],
    ['not-an-email', 'P-2', 'Bad Email Co', '10'],
    ['', '', 'No Identity Co', '5'],
    ['size.bad@example.com', 'P-4', 'Bad Size Co', 'lots'],
    ['good.two@example.com', 'P-5', 'Good Two', '1,200'],
  ]),
);
w(
  'activities.csv',
  text([
    ['Work Email', 'Activity', 'Page URL', 'Date', 'Time Spent (minutes)'],
    ['renee.muller@cafe-zurich.example', 'Page View', 'https://example.com/pricing', '25-12-2025 14:30', '2'],
    ['renee.muller@cafe-zurich.example', 'Email Clicked', 'Newsletter December', '26-12-2025', ''],
    ['jose.garcia@example.com', 'Whitepaper Download', 'Lead Scoring Guide', '13-01-2026 09:00:05', ''],
    ['new.person@example.com', 'Attended', 'Product Demo', '02-02-2026', '45'],
    ['jose.garcia@example.com', 'Teleported', 'Nowhere', '02-02-2026', ''],
    ['jose.garcia@example.com', 'Page View', 'https://example.com/careers', '31-02-2026', ''],
  ]),
);

// Zoom webinar attendee report: report block, host section, attendee section.
w(
  'zoom-webinar.csv',
  [
    'Attendee Report',
    'Report Generated:,"Oct 12, 2025 11:30 AM"',
    'Topic,Webinar ID,Actual Start Time,Actual Duration (minutes),# Registered,Unique Viewers,Total Users,Max Concurrent Views',
    'Scoring Leads Without a Data Team,812 3456 7890,"Oct 12, 2025 10:00 AM",62,4,3,3,3',
    '',
    'Host Details',
    'Attended,User Name (Original Name),Email,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name',
    'Yes,Host Person,host@leadbench.example,"Oct 12, 2025 09:55 AM","Oct 12, 2025 11:02 AM",67,No,United States',
    '',
    'Attendee Details',
    'Attended,User Name (Original Name),First Name,Last Name,Email,Phone,Registration Time,Approval Status,Join Time,Leave Time,Time in Session (minutes),Is Guest,Country/Region Name',
    'Yes,Renée Müller,Renée,Müller,renee.muller@cafe-zurich.example,,"Oct 01, 2025 08:12 AM",approved,"Oct 12, 2025 10:01 AM","Oct 12, 2025 11:00 AM",59,Yes,Switzerland',
    'Yes,José García,José,García,jose.garcia@example.com,+34 600 000 000,"Oct 03, 2025 05:40 PM",approved,"Oct 12, 2025 10:04 AM","Oct 12, 2025 10:40 AM",36,Yes,Spain',
    'No,Sam Lee,Sam,Lee,sam.lee@example.com,,"Oct 05, 2025 11:00 AM",approved,--,--,--,Yes,United States',
    'Yes,Kim Park,Kim,Park,kim.park@example.com,,"Oct 10, 2025 02:15 PM",approved,"Oct 12, 2025 10:10 AM","Oct 12, 2025 10:58 AM",48,Yes,South Korea',
    '',
  ].join('\r\n'),
);

// XLSX with two sheets: leads first, activities second.
const wb = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(wb, XLSX.utils.aoa_to_sheet(PEOPLE), 'Leads');
XLSX.utils.book_append_sheet(
  wb,
  XLSX.utils.aoa_to_sheet([
    ['Email', 'Type', 'Asset', 'Occurred At'],
    ['renee.muller@cafe-zurich.example', 'Page View', '/pricing', new Date(Date.UTC(2025, 11, 1, 9, 30))],
    ['jose.garcia@example.com', 'Email Opened', 'Newsletter', new Date(Date.UTC(2025, 11, 2, 10, 0))],
    ['jose.garcia@example.com', 'Download', 'Playbook', 46000],
  ]),
  'Activities',
);
w('two-sheets.xlsx', XLSX.write(wb, { type: 'buffer', bookType: 'xlsx', compression: true }));

// Unreadable files.
w('empty.csv', '');
w('blank-lines.csv', '\r\n\r\n   \r\n');
w('header-only.csv', 'Email,First Name,Company\r\n');
w('no-header.csv', 'a.one@example.com,Ann,Acme\r\nb.two@example.com,Bob,Globex\r\n');
const bin = Buffer.alloc(2048);
for (let i = 0; i < bin.length; i++) bin[i] = (i * 7919 + 13) % 256;
w('binary.csv', bin);
w('fake.csv', Buffer.concat([Buffer.from('%PDF-1.7\n%'), bin.subarray(0, 200)]));
console.log(`Wrote import fixtures to ${out}`);
