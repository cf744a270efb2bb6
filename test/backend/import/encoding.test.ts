/** Streaming decoders keep characters split across chunks intact, in every encoding. */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { createDecoder, detectEncoding } from '../../../electron/backend/services/import/encoding';
import { detectDelimiter } from '../../../electron/backend/services/import/source';
import { FIXTURES } from '../helpers';

const expected = readFileSync(join(FIXTURES, 'import', 'utf8.csv'), 'utf8');

describe('streaming decode', () => {
  it.each([
    ['utf8.csv', 'utf-8'],
    ['utf8-bom.csv', 'utf-8'],
    ['utf16le.csv', 'utf-16le'],
    ['utf16be.csv', 'utf-16be'],
    ['windows-1252.csv', 'windows-1252'],
  ] as const)('%s decodes the same text one byte at a time', (file, encoding) => {
    const bytes = readFileSync(join(FIXTURES, 'import', file));
    expect(detectEncoding(bytes).encoding).toBe(encoding);
    for (const size of [1, 3, 7, 4096]) {
      const dec = createDecoder(encoding);
      let text = '';
      for (let i = 0; i < bytes.length; i += size) text += dec.decode(bytes.subarray(i, i + size));
      text += dec.end();
      expect(text).toBe(expected);
    }
  });

  it('detects UTF-16 without a BOM and tells UTF-8 from Windows-1252', () => {
    expect(detectEncoding(Buffer.from('Email,Name\r\na@b.co,Zoë\r\n', 'utf16le')).encoding).toBe('utf-16le');
    expect(detectEncoding(Buffer.from('Zoë,é', 'utf8')).encoding).toBe('utf-8');
    expect(detectEncoding(Buffer.from([0x5a, 0x6f, 0xeb, 0x2c, 0x80])).encoding).toBe('windows-1252');
    // A multi-byte character cut off at the end of the sample is still UTF-8.
    expect(detectEncoding(Buffer.from('abc é', 'utf8').subarray(0, 5)).encoding).toBe('utf-8');
  });

  it('detects delimiters, ignoring those inside quotes', () => {
    expect(detectDelimiter('a;b;c\n1;2;3\n')).toBe(';');
    expect(detectDelimiter('a\tb\n"x,y,z"\t2\n')).toBe('\t');
    expect(detectDelimiter('a|b|c\n1|2|3')).toBe('|');
    expect(detectDelimiter('a,b\n"1;2;3",4\n')).toBe(',');
  });
});
