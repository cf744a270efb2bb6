/**
 * Text encodings of spreadsheet exports: a BOM decides (UTF-8, UTF-16 LE/BE); otherwise
 * UTF-16 without BOM is recognised by its zero bytes, valid UTF-8 is UTF-8, and anything
 * else is Windows-1252 (what Excel on Windows writes for "CSV").
 *
 * Windows-1252 is decoded here rather than by TextDecoder: Node builds may decode the label
 * as ISO-8859-1, which turns 0x80 into U+0080 instead of "€".
 */
import { StringDecoder } from 'node:string_decoder';
import type { TextEncoding } from '../../../../shared/contract';

export type DetectedEncoding = Readonly<{ encoding: TextEncoding; bomLength: number }>;

export function detectEncoding(sample: Buffer): DetectedEncoding {
  if (sample.length >= 3 && sample[0] === 0xef && sample[1] === 0xbb && sample[2] === 0xbf) {
    return { encoding: 'utf-8', bomLength: 3 };
  }
  if (sample.length >= 2 && sample[0] === 0xff && sample[1] === 0xfe) return { encoding: 'utf-16le', bomLength: 2 };
  if (sample.length >= 2 && sample[0] === 0xfe && sample[1] === 0xff) return { encoding: 'utf-16be', bomLength: 2 };

  // UTF-16 without BOM: ASCII text has a zero in every other byte.
  const n = Math.min(sample.length, 4096) & ~1;
  if (n >= 4) {
    let evenZero = 0;
    let oddZero = 0;
    for (let i = 0; i < n; i += 2) {
      if (sample[i] === 0) evenZero++;
      if (sample[i + 1] === 0) oddZero++;
    }
    const pairs = n / 2;
    if (oddZero > pairs * 0.4 && evenZero < pairs * 0.05) return { encoding: 'utf-16le', bomLength: 0 };
    if (evenZero > pairs * 0.4 && oddZero < pairs * 0.05) return { encoding: 'utf-16be', bomLength: 0 };
  }
  return { encoding: isValidUtf8(sample) ? 'utf-8' : 'windows-1252', bomLength: 0 };
}

/** Valid UTF-8, allowing a multi-byte sequence cut off at the end of the sample. */
function isValidUtf8(buf: Buffer): boolean {
  let end = buf.length;
  // Step back over a possibly truncated trailing sequence.
  for (let back = 1; back <= 3 && end - back >= 0; back++) {
    const b = buf[end - back] ?? 0;
    if ((b & 0xc0) === 0x80) continue;
    if (b >= 0xc0) {
      const need = b >= 0xf0 ? 4 : b >= 0xe0 ? 3 : 2;
      if (need > back) end -= back;
    }
    break;
  }
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(buf.subarray(0, end));
    return true;
  } catch {
    return false;
  }
}

/** The bytes 0x80..0x9F of Windows-1252 (the rest equals ISO-8859-1). */
const CP1252_HIGH =
  '\u20ac\u0081\u201a\u0192\u201e\u2026\u2020\u2021\u02c6\u2030\u0160\u2039\u0152\u008d\u017d\u008f' +
  '\u0090\u2018\u2019\u201c\u201d\u2022\u2013\u2014\u02dc\u2122\u0161\u203a\u0153\u009d\u017e\u0178';
const C1 = /[\u0080-\u009f]/g;
const HAS_C1 = /[\u0080-\u009f]/;

export type StreamDecoder = Readonly<{ decode: (chunk: Uint8Array) => string; end: () => string }>;

/** A streaming decoder: multi-byte sequences split across chunks are carried over. */
export function createDecoder(encoding: TextEncoding): StreamDecoder {
  if (encoding === 'windows-1252') {
    const map = (s: string) => (HAS_C1.test(s) ? s.replace(C1, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c) : s);
    return {
      decode: (chunk) => map(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1')),
      end: () => '',
    };
  }
  if (encoding === 'utf-8' || encoding === 'utf-16le') {
    // Node's StringDecoder is several times faster than TextDecoder's streaming mode.
    const dec = new StringDecoder(encoding === 'utf-8' ? 'utf8' : 'utf16le');
    let first = true;
    const stripBom = (s: string) => {
      if (!first || s === '') return s;
      first = false;
      return s.charCodeAt(0) === 0xfeff ? s.slice(1) : s;
    };
    return {
      decode: (chunk) => stripBom(dec.write(Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength))),
      end: () => stripBom(dec.end()),
    };
  }
  const dec = new TextDecoder(encoding, { ignoreBOM: false });
  return {
    decode: (chunk) => dec.decode(chunk, { stream: true }),
    end: () => dec.decode(),
  };
}

/**
 * The refusal of a file that is not UTF-8 until its encoding is confirmed: what it says read
 * in the guessed encoding, how to confirm it (`confirm`), and what was left undone.
 */
export function unconfirmedEncodingMessage(
  fileName: string,
  encoding: TextEncoding,
  sample: string,
  confirm: string,
  undone: string,
): string {
  return (
    `"${fileName}" is not valid UTF-8 text. Read as ${encoding} one of its lines says "${sample}". ` +
    `If that reads correctly, confirm the encoding (${confirm}); if not, name the right one. ${undone}`
  );
}
