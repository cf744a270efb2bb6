import { describe, expect, it } from 'vitest';
import { CsvRecordReader, type CsvRecord } from '../../../electron/backend/services/import/csv-records';

/** Reads text cut into chunks of every given size: the records must not depend on the cuts. */
function readAll(text: string, chunk: number, maxCell?: number): CsvRecord[] {
  const r = new CsvRecordReader(',', maxCell);
  const out: CsvRecord[] = [];
  for (let i = 0; i < text.length; i += chunk) out.push(...r.push(text.slice(i, i + chunk)));
  out.push(...r.end());
  return out;
}

function expectRecords(text: string, expected: CsvRecord[], maxCell?: number): void {
  for (const chunk of [1, 2, 3, 5, 7, 64, 100_000]) {
    expect(readAll(text, chunk, maxCell), `chunks of ${chunk}`).toEqual(expected);
  }
}

describe('CsvRecordReader', () => {
  it('splits cells and records, with quoted delimiters, quotes and line breaks', () => {
    expectRecords('a,b\n"x, y","say ""hi"""\n"two\r\nlines",z\n', [
      ['a', 'b'],
      ['x, y', 'say "hi"'],
      ['two\r\nlines', 'z'],
    ]);
  });

  it('ends records at CRLF, LF and a bare CR mixed in one file', () => {
    expectRecords('Email,Name\r\na@x.com,Ann\nb@x.com,Bob\rc@x.com,Cy\r\nd@x.com,Di\r\n', [
      ['Email', 'Name'],
      ['a@x.com', 'Ann'],
      ['b@x.com', 'Bob'],
      ['c@x.com', 'Cy'],
      ['d@x.com', 'Di'],
    ]);
  });

  it('keeps blank lines and trailing empty cells, and starts no record after the last line break', () => {
    expectRecords('a,b,\n\n,\nc', [['a', 'b', ''], [''], ['', ''], ['c']]);
    expectRecords('a,b\n', [['a', 'b']]);
    expectRecords('a,', [['a', '']]);
  });

  it('reads `"abc"def` on one line as text', () => {
    expectRecords('"abc"def,x\n', [['abc"def', 'x']]);
  });

  it('an opening quote that never closes costs only its own line', () => {
    const text = 'Email,Name,Company\na@x.com,"Ann,Acme\nb@x.com,Bob,"Beta, Inc."\nc@x.com,Cy,Corp\n';
    expectRecords(text, [
      ['Email', 'Name', 'Company'],
      {
        bad: 'a quote opens this cell but never closes it, so the row cannot be split into cells.',
        column: 1,
        raw: 'a@x.com,"Ann,Acme',
      },
      ['b@x.com', 'Bob', 'Beta, Inc.'],
      ['c@x.com', 'Cy', 'Corp'],
    ]);
    // Running to the end of the file without another quote.
    expectRecords('a,b\nc,"d\ne,f\ng,h', [
      ['a', 'b'],
      { bad: expect.stringContaining('never closes') as unknown as string, column: 1, raw: 'c,"d' },
      ['e', 'f'],
      ['g', 'h'],
    ]);
  });

  it('a cell over the limit costs its row, and reading goes on', () => {
    const long = 'x'.repeat(50);
    expectRecords(
      `a,b\n1,${long}\n2,"${long}"\n3,ok\n`,
      [
        ['a', 'b'],
        {
          bad: 'the cell holds more than 40 characters (the limit for one cell).',
          column: 1,
          raw: `1,${long}`,
        },
        {
          bad: 'the cell holds more than 40 characters (the limit for one cell).',
          column: 1,
          raw: `2,"${long}"`,
        },
        ['3', 'ok'],
      ],
      40,
    );
  });

  it('a quoted cell spanning lines past the limit is a stray quote, not a swallowed file', () => {
    const rows = Array.from({ length: 20 }, (_, i) => `r${i},v${i}`).join('\n');
    const out = readAll(`a,b\nx,"oops\n${rows}\n`, 7, 40);
    expect(out[1]).toMatchObject({ column: 1, raw: 'x,"oops' });
    expect(out.slice(2)).toEqual(Array.from({ length: 20 }, (_, i) => [`r${i}`, `v${i}`]));
  });
});
