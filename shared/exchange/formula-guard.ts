/**
 * Formula-injection neutralization for exported cells, after the OWASP "CSV Injection"
 * guidance: a text cell whose first character (also after leading whitespace) is one of
 * = + - @ TAB CR is one a spreadsheet may evaluate as a formula (`=HYPERLINK(...)`, `+cmd|...`,
 * `-2+3`, `@SUM(1)`). We prefix such text with a single quote, which every spreadsheet shows
 * as text and never evaluates. Real numbers are written as numbers by the writers and never
 * pass through here, so they stay numbers.
 *
 * The guard must be reversible, because reps' sheets come back (round trip). A value that
 * already starts with a quote followed by something guardable gets one more quote, so
 * `restoreFormulaGuard(neutralizeFormula(v)) === v` for every string v.
 */

const TRIGGER = /^\s*[=+\-@\t\r]/;

/** True when a spreadsheet could read the text as a formula. */
export function isFormulaLike(value: string): boolean {
  return TRIGGER.test(value);
}

/** True when the text gets a guard quote on export (formula-like, or quote + guardable). */
export function needsFormulaGuard(value: string): boolean {
  let v = value;
  while (v.startsWith("'")) v = v.slice(1);
  return isFormulaLike(v);
}

/** The text as it is written to a cell: inert, with a leading quote when it needs one. */
export function neutralizeFormula(value: string): string {
  return needsFormulaGuard(value) ? `'${value}` : value;
}

/** Undoes neutralizeFormula on a value read back from an exported sheet. */
export function restoreFormulaGuard(value: string): string {
  return value.startsWith("'") && needsFormulaGuard(value.slice(1)) ? value.slice(1) : value;
}
