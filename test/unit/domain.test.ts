import { describe, expect, it } from 'vitest';
import { emailDomain, normalizeEmail } from '../../shared/domain';

describe('normalizeEmail', () => {
  it('trims and case-folds', () => {
    expect(normalizeEmail('  Jane.Doe@Example.COM ')).toBe('jane.doe@example.com');
  });
  it('treats blank as missing', () => {
    expect(normalizeEmail('   ')).toBeNull();
    expect(normalizeEmail(null)).toBeNull();
  });
  it('extracts the domain', () => {
    expect(emailDomain('A@Sub.Example.org')).toBe('sub.example.org');
    expect(emailDomain('no-at-sign')).toBeNull();
  });
});
