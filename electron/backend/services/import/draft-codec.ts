/**
 * Lead drafts (shared/mapping's LeadDraft) in a compact columnar form, to cross from the
 * read thread to the backend thread (read-thread-protocol.ts): structured clone of the draft
 * objects themselves costs the receiver about what mapping them on another thread saves.
 * Every string value is one slice of one joined string (end offsets in a Uint32Array), every
 * number one Float64Array entry, and each draft's shape a run of Int32s naming its parts
 * (field and custom field names by index in a small per-batch table). Unpacked, a draft is
 * equal to the one packed, its objects' keys in the same order.
 */
import type { LeadDraft } from '../../../../shared/mapping';

export type PackedDrafts = Readonly<{
  /** Index in the batch of each draft's record. */
  rows: Uint32Array;
  /** Field and custom field names, by index. */
  names: string[];
  text: string;
  ends: Uint32Array;
  numbers: Float64Array;
  shape: Int32Array;
}>;

/** The buffers a PackedDrafts transfers. */
export function draftBuffers(p: PackedDrafts): ArrayBuffer[] {
  return [p.rows, p.ends, p.numbers, p.shape].map((a) => a.buffer as ArrayBuffer);
}

const NONE = -1;

export function packDrafts(rows: readonly number[], drafts: readonly LeadDraft[]): PackedDrafts {
  const names: string[] = [];
  const nameIndex = new Map<string, number>();
  const strings: string[] = [];
  const ends: number[] = [];
  const numbers: number[] = [];
  const shape: number[] = [];
  let at = 0;
  const str = (v: string): number => {
    strings.push(v);
    at += v.length;
    ends.push(at);
    return strings.length - 1;
  };
  const name = (n: string): number => {
    let i = nameIndex.get(n);
    if (i === undefined) {
      i = names.length;
      names.push(n);
      nameIndex.set(n, i);
    }
    return i;
  };
  for (const d of drafts) {
    shape.push(d.email === null ? NONE : str(d.email), d.emailNorm === null ? NONE : str(d.emailNorm));
    const fields = Object.keys(d.fields) as (keyof LeadDraft['fields'])[];
    shape.push(fields.length);
    for (const f of fields) {
      const v = d.fields[f] as string | number;
      if (typeof v === 'number') {
        numbers.push(v);
        shape.push(name(f), 1, numbers.length - 1);
      } else shape.push(name(f), 0, str(v));
    }
    const custom = Object.keys(d.custom);
    shape.push(custom.length);
    for (const c of custom) shape.push(name(c), str(d.custom[c] as string));
    shape.push(d.keys.length);
    for (const [k, v] of d.keys) shape.push(str(k), str(v));
    if (d.createdAt === null) shape.push(NONE);
    else {
      numbers.push(d.createdAt);
      shape.push(numbers.length - 1);
    }
  }
  return {
    rows: Uint32Array.from(rows),
    names,
    text: strings.join(''),
    ends: Uint32Array.from(ends),
    numbers: Float64Array.from(numbers),
    shape: Int32Array.from(shape),
  };
}

/** The drafts by their record's index in the batch (other indexes: none). */
export function unpackDrafts(p: PackedDrafts, batchRows: number): (LeadDraft | undefined)[] {
  const out = new Array<LeadDraft | undefined>(batchRows);
  const { text, ends, numbers, shape, names } = p;
  const str = (i: number): string => text.slice(i === 0 ? 0 : (ends[i - 1] as number), ends[i] as number);
  let s = 0;
  for (let d = 0; d < p.rows.length; d++) {
    const e = shape[s++] as number;
    const en = shape[s++] as number;
    const fields: Record<string, string | number> = {};
    for (let n = shape[s++] as number; n > 0; n--) {
      const key = names[shape[s++] as number] as string;
      const kind = shape[s++] as number;
      const v = shape[s++] as number;
      fields[key] = kind === 1 ? (numbers[v] as number) : str(v);
    }
    const custom: Record<string, string> = {};
    for (let n = shape[s++] as number; n > 0; n--) {
      const key = names[shape[s++] as number] as string;
      custom[key] = str(shape[s++] as number);
    }
    const keys: [string, string][] = [];
    for (let n = shape[s++] as number; n > 0; n--) {
      const k = str(shape[s++] as number);
      keys.push([k, str(shape[s++] as number)]);
    }
    const c = shape[s++] as number;
    out[p.rows[d] as number] = {
      email: e === NONE ? null : str(e),
      emailNorm: en === NONE ? null : str(en),
      fields: fields as LeadDraft['fields'],
      custom,
      keys,
      createdAt: c === NONE ? null : (numbers[c] as number),
    };
  }
  return out;
}
