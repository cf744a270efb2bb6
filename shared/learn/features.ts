/**
 * Turning lead fields into learnable features, each a condition the scoring model can
 * hold: a category value ("Lead Source equals Reference"), the rare values pooled ("any
 * other Lead Source"), a number range learned from the data ("Total Time Spent on Website
 * is between 0 and 11"), and blank as a value of its own. A lead falls in exactly one
 * level of each field, and the level's condition says so in the model's own terms, so the
 * learned weights become fit rules that score exactly what was fitted.
 */
import type { Condition } from '../scoring/model';
import { toNumber, type FieldValue } from '../scoring/operators';

export type FieldLevel = Readonly<{
  /** Words for the rule name: "is Reference", "is blank", "is between 0 and 11". */
  label: string;
  when: Condition;
}>;

export type FieldEncoding = Readonly<{
  field: string;
  label: string;
  kind: 'category' | 'number';
  levels: readonly FieldLevel[];
  /** The level a value falls in, or -1 (a non-number in a number field, an unseen gap). */
  levelOf: (v: FieldValue) => number;
}>;

export type EncodeOptions = Readonly<{
  /** A value (or a number bin) needs this many leads to be a level of its own. */
  minCount: number;
  /** Most bins of a number field. */
  maxBins?: number;
}>;

/** Why a field is not used, or null. */
export type Skip = Readonly<{ skipped: string }>;

const key = (v: FieldValue): string | null => {
  if (v === null) return null;
  const s = String(v).trim();
  return s === '' ? null : s.toLowerCase();
};

function formatNumber(n: number): string {
  return Number.isInteger(n) ? String(n) : String(Math.round(n * 100) / 100);
}

/**
 * A field's values on the training leads as distinct values with counts: encoding works on
 * these, so its cost grows with the number of distinct values, not of leads.
 */
export type ValueTally = Readonly<{
  /** Distinct non-blank values. */
  values: readonly FieldValue[];
  /** How many training leads hold each value. */
  counts: ArrayLike<number>;
  /** Training leads in all, blank ones included. */
  total: number;
}>;

/** A column's values as codes into a dictionary of its distinct non-blank values; blank is -1. */
export type CodedColumn = Readonly<{ codes: Int32Array; dictionary: readonly FieldValue[] }>;

/** Builds a coded column one value at a time (the backend reads columns row by row). */
export class ColumnCoder {
  readonly codes: Int32Array;
  readonly dictionary: FieldValue[] = [];
  private readonly index = new Map<FieldValue, number>();
  constructor(rows: number) {
    this.codes = new Int32Array(rows).fill(-1);
  }
  set(row: number, v: FieldValue): void {
    let c = this.index.get(v);
    if (c === undefined) {
      // Blank spellings ("", "  ") are remembered as -1 too: one map lookup per value.
      c = key(v) === null ? -1 : this.dictionary.push(v) - 1;
      this.index.set(v, c);
    }
    this.codes[row] = c;
  }
}

/** Codes a plain array of values. */
export function codeColumn(values: readonly FieldValue[]): CodedColumn {
  const coder = new ColumnCoder(values.length);
  values.forEach((v, i) => coder.set(i, v));
  return coder;
}

/** The tally of a coded column over the rows where `include` is 1 (all rows when absent). */
export function tallyCoded(column: CodedColumn, include?: Uint8Array): ValueTally {
  const counts = new Float64Array(column.dictionary.length);
  let total = 0;
  for (let i = 0; i < column.codes.length; i++) {
    if (include && include[i] !== 1) continue;
    total++;
    const c = column.codes[i]!;
    if (c >= 0) counts[c]!++;
  }
  return { values: column.dictionary, counts, total };
}

/** Encodes a field from the training leads' values; a constant or identifier-like field is skipped. */
export function encodeField(
  field: string,
  label: string,
  values: readonly FieldValue[],
  options: EncodeOptions,
): FieldEncoding | Skip {
  return encodeTally(field, label, tallyCoded(codeColumn(values)), options);
}

/** encodeField from the training leads' distinct values and their counts. */
export function encodeTally(
  field: string,
  label: string,
  tally: ValueTally,
  options: EncodeOptions,
): FieldEncoding | Skip {
  const total = tally.total;
  let filled = 0;
  let numeric = 0;
  let integers = true;
  const distinct = new Map<string, { n: number; spellings: Map<string, number> }>();
  tally.values.forEach((v, at) => {
    const count = tally.counts[at]!;
    const k = key(v);
    if (k === null || count === 0) return;
    filled += count;
    const n = toNumber(v);
    if (n !== null) {
      numeric += count;
      if (!Number.isInteger(n)) integers = false;
    }
    let d = distinct.get(k);
    if (!d) {
      d = { n: 0, spellings: new Map() };
      distinct.set(k, d);
    }
    d.n += count;
    const spelled = String(v).trim();
    d.spellings.set(spelled, (d.spellings.get(spelled) ?? 0) + count);
  });
  if (filled === 0) return { skipped: 'always blank' };
  if (distinct.size === 1 && filled === total) return { skipped: 'the same value for every lead' };
  let top = total - filled;
  for (const d of distinct.values()) top = Math.max(top, d.n);
  if (top >= 0.99 * total) return { skipped: 'the same value for 99% of the leads' };
  const isNumber = numeric >= 0.95 * filled && distinct.size >= 8;
  // A value per lead (an id, an email, a running number) says nothing about other leads.
  if (distinct.size > 0.5 * filled && filled >= 20 && (!isNumber || (integers && distinct.size > 0.95 * filled)))
    return { skipped: 'looks like an identifier (almost every lead has its own value)' };
  const blank: FieldLevel = { label: 'is blank', when: { field, op: 'is_blank' } };
  if (isNumber) return encodeNumber(field, label, tally, options, integers, blank);
  const frequent = [...distinct.entries()]
    .filter(([, d]) => d.n >= options.minCount)
    .sort((a, b) => b[1].n - a[1].n || (a[0] < b[0] ? -1 : 1));
  const spelling = (d: { spellings: Map<string, number> }): string =>
    [...d.spellings.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1))[0]![0];
  const levels: FieldLevel[] = frequent.map(([, d]) => {
    const text = spelling(d);
    return { label: `is ${text}`, when: { field, op: 'equals', value: text } };
  });
  const index = new Map(frequent.map(([k], i) => [k, i]));
  // Rare values pooled into one level when together they are common enough; else they get no points.
  let rare = 0;
  for (const d of distinct.values()) if (d.n < options.minCount) rare += d.n;
  const hasRare = rare >= options.minCount;
  const otherAt = hasRare ? levels.length : -1;
  if (hasRare) {
    levels.push({
      label: frequent.length ? 'is any other value' : 'is filled in',
      when: frequent.length
        ? {
            all: [
              { field, op: 'is_not_blank' },
              { field, op: 'not_in', values: frequent.map(([, d]) => spelling(d)) },
            ],
          }
        : { field, op: 'is_not_blank' },
    });
  }
  const blankAt = levels.length;
  levels.push(blank);
  if (levels.length < 2) return { skipped: 'too few leads per value' };
  return {
    field,
    label,
    kind: 'category',
    levels,
    levelOf: (v) => {
      const k = key(v);
      if (k === null) return blankAt;
      return index.get(k) ?? otherAt;
    },
  };
}

/**
 * The numbers of a tally in ascending order, as distinct values with the count of values
 * below each: the rank and count questions the binning asks, without one entry per lead.
 */
function sortedNumbers(tally: ValueTally): {
  length: number;
  at: (rank: number) => number;
  countBelow: (x: number) => number;
} {
  const byNumber = new Map<number, number>();
  tally.values.forEach((v, i) => {
    const c = tally.counts[i]!;
    if (c === 0 || key(v) === null) return;
    const n = toNumber(v);
    if (n !== null) byNumber.set(n, (byNumber.get(n) ?? 0) + c);
  });
  const xs = Float64Array.from(byNumber.keys()).sort();
  const below = new Float64Array(xs.length + 1);
  xs.forEach((x, i) => (below[i + 1] = below[i]! + byNumber.get(x)!));
  // The first index whose value is >= x (or, with `rank`, whose run ends after rank).
  const search = (test: (i: number) => boolean): number => {
    let lo = 0;
    let hi = xs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (test(mid)) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  };
  return {
    length: below[xs.length]!,
    at: (rank) => xs[search((i) => below[i + 1]! > rank)]!,
    countBelow: (x) => below[search((i) => xs[i]! >= x)]!,
  };
}

/** Number bins at the data's quantiles, each with at least minCount leads. */
function encodeNumber(
  field: string,
  label: string,
  tally: ValueTally,
  options: EncodeOptions,
  integers: boolean,
  blank: FieldLevel,
): FieldEncoding | Skip {
  const nums = sortedNumbers(tally);
  const countBelow = nums.countBelow;
  const bins = Math.max(1, Math.min(options.maxBins ?? 5, Math.floor(nums.length / options.minCount)));
  // Cut points: the first value of each bin, at the quantiles, moved to a distinct value.
  const cuts: number[] = [];
  for (let b = 1; b < bins; b++) {
    const c = nums.at(Math.floor((b * nums.length) / bins));
    if (c > nums.at(0) && (cuts.length === 0 || c > cuts.at(-1)!)) cuts.push(c);
  }
  // Drop cuts that leave a bin with too few leads (ties pile up on one value).
  const kept: number[] = [];
  let prev = 0;
  for (const c of cuts) {
    const below = countBelow(c);
    if (below - prev >= options.minCount && nums.length - below >= options.minCount) {
      kept.push(c);
      prev = below;
    }
  }
  const levels: FieldLevel[] = [];
  for (let b = 0; b <= kept.length; b++) {
    const lo = b === 0 ? null : kept[b - 1]!;
    const next = b === kept.length ? null : kept[b]!;
    // The bin's top: the largest value below the next cut (whole numbers: the cut minus one, so no gap).
    const hi = next === null ? null : integers ? next - 1 : nums.at(countBelow(next) - 1);
    const text =
      lo === null && hi === null
        ? 'is filled in'
        : lo === null
          ? `is at most ${formatNumber(hi!)}`
          : hi === null
            ? `is ${formatNumber(lo)} or more`
            : lo === hi
              ? `is ${formatNumber(lo)}`
              : `is between ${formatNumber(lo)} and ${formatNumber(hi)}`;
    levels.push({ label: text, when: { field, op: 'between', min: lo, max: hi } });
  }
  if (levels.length === 1) levels[0] = { label: 'is filled in', when: { field, op: 'is_not_blank' } };
  const blankAt = levels.length;
  levels.push(blank);
  const single = kept.length === 0;
  return {
    field,
    label,
    kind: 'number',
    levels,
    levelOf: (v) => {
      if (key(v) === null) return blankAt;
      if (single) return 0;
      const n = toNumber(v);
      if (n === null) return -1;
      let b = 0;
      while (b < kept.length && n >= kept[b]!) b++;
      const lo = b === 0 ? -Infinity : kept[b - 1]!;
      const next = b === kept.length ? Infinity : kept[b]!;
      const hi = next === Infinity ? Infinity : integers ? next - 1 : nums.at(countBelow(next) - 1);
      return n >= lo && n <= hi ? b : -1;
    },
  };
}
