import { describe, expect, it } from 'vitest';

import { customIssueTitle } from './issue-title';

describe('customIssueTitle', () => {
  it('returns the title a fingerprint rule set', () => {
    expect(
      customIssueTitle('All TypeErrors', { type: 'TypeError', value: 'x is not a function' }),
    ).toBe('All TypeErrors');
  });

  it('prefers metadata.title when present', () => {
    expect(
      customIssueTitle('TypeError: boom', { type: 'TypeError', value: 'boom', title: 'Custom' }),
    ).toBe('Custom');
  });

  it('returns null for the title the type and value give', () => {
    expect(customIssueTitle('TypeError: boom', { type: 'TypeError', value: 'boom' })).toBeNull();
    expect(customIssueTitle('TypeError', { type: 'TypeError', value: '' })).toBeNull();
    expect(
      customIssueTitle('ValueError: first', { type: 'ValueError', value: 'first\nsecond' }),
    ).toBeNull();
  });

  it('recognizes a title whose value was shortened', () => {
    const value = 'v'.repeat(300);
    const title = `Error: ${'v'.repeat(99)}…`;

    expect(customIssueTitle(title, { type: 'Error', value })).toBeNull();
  });

  it('returns a custom title that starts with the type', () => {
    expect(customIssueTitle('TypeError: all of them', { type: 'TypeError', value: 'boom' })).toBe(
      'TypeError: all of them',
    );
  });

  it('returns null without an exception type', () => {
    expect(customIssueTitle('Something happened', { title: 'Something happened' })).toBeNull();
  });
});
