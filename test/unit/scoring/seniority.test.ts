import { describe, expect, it } from 'vitest';
import { titleSeniority } from '../../../shared/scoring';

describe('titleSeniority', () => {
  it.each([
    ['CEO', 'c_level'],
    ['Chief Revenue Officer', 'c_level'],
    ['Co-Founder & CTO', 'c_level'],
    ['Managing Director', 'c_level'],
    ['President', 'c_level'],
    ['Vice President, Sales', 'vp'],
    ['SVP Marketing', 'vp'],
    ['Sr. VP Operations', 'vp'],
    ['Director of IT', 'director'],
    ['Head of Growth', 'head'],
    ['Marketing Manager', 'manager'],
    ['Team Lead, Support', 'manager'],
    ['Software Engineer', 'individual'],
    ['Marketing Intern', 'intern'],
    ['PhD Candidate', 'student'],
    ['Student', 'student'],
    ['', 'unknown'],
    [null, 'unknown'],
  ] as const)('%s -> %s', (title, level) => {
    expect(titleSeniority(title)).toBe(level);
  });
});
