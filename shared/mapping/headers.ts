/**
 * Header normalization and signatures. Spreadsheets have empty and duplicate headers (the
 * X Education file ends every line with a comma, so its last header is empty); a mapping is
 * keyed by header name, so each column needs a unique, stable, readable name.
 */

/** Unique column names: trimmed; empty -> "Column N"; duplicates -> "Name (2)". */
export function normalizeHeaders(raw: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return raw.map((h, i) => {
    let name = h.replace(/^\uFEFF/, '').trim();
    if (name === '') name = `Column ${i + 1}`;
    const n = (seen.get(name.toLowerCase()) ?? 0) + 1;
    seen.set(name.toLowerCase(), n);
    return n === 1 ? name : `${name} (${n})`;
  });
}

/** Lower-case, punctuation-free form used to compare headers with synonyms. */
export function headerKey(header: string): string {
  return header
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/**
 * Identifies "the same layout": the ordered list of header keys. A saved mapping is offered
 * again for any file whose signature matches.
 */
export function headerSignature(headers: readonly string[]): string {
  return headers.map((h) => headerKey(h)).join('|');
}
