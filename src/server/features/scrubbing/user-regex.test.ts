import { describe, expect, it } from 'vitest';

import { compileUserRegex, MAX_PATTERN_LENGTH, UserRegexError } from './user-regex.js';

describe('compileUserRegex', () => {
  it.each([
    ['(a+)+$'],
    ['(a|aa)*'],
    ['(?:x*y)+'],
    ['((ab|cd))+'],
    ['(a{1,5}){2,}'],
    ['(a)\\1'],
    ['(?<n>a)\\k<n>'],
    ['(?x)a b'],
    ['x'.repeat(MAX_PATTERN_LENGTH + 1)],
    ['(unclosed'],
  ])('rejects %s', (pattern) => {
    expect(() => compileUserRegex(pattern)).toThrow(UserRegexError);
  });

  it.each([['ORD-[0-9]+'], ['(?:ab)+'], ['(a|b)c'], ['(ab)?x*'], ['[(+*]+'], ['\\(a+\\)+']])(
    'accepts %s',
    (pattern) => {
      expect(compileUserRegex(pattern)).toBeInstanceOf(RegExp);
    },
  );

  it('turns a leading (?i) into the i flag', () => {
    const regex = compileUserRegex('(?i)secret');

    expect(regex.flags).toContain('i');
    expect('SECRET'.search(regex)).toBe(0);
  });
});
