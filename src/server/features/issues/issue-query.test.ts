import { describe, expect, it } from 'vitest';

import { parseIssueQuery } from './issue-query.js';

describe('parseIssueQuery', () => {
  it('defaults to unresolved issues', () => {
    expect(parseIssueQuery(undefined).statuses).toEqual(['unresolved']);
  });

  it('treats an empty query as every status', () => {
    expect(parseIssueQuery('').statuses).toBeUndefined();
  });

  it('reads tag conditions, negation and quotes', () => {
    const query = parseIssueQuery(
      'is:resolved release:"app 1.0" !environment:prod browser:Chrome*',
    );

    expect(query.statuses).toEqual(['resolved']);
    expect(query.tags).toEqual([
      { key: 'release', value: 'app 1.0', negated: false },
      { key: 'environment', value: 'prod', negated: true },
      { key: 'browser', value: 'Chrome*', negated: false },
    ]);
  });

  it('reads has: conditions', () => {
    expect(parseIssueQuery('has:user !has:release').has).toEqual([
      { key: 'user', negated: false },
      { key: 'release', negated: true },
    ]);
  });

  it('keeps free text in order', () => {
    expect(parseIssueQuery('level:error TypeError undefined').text).toBe('TypeError undefined');
    expect(parseIssueQuery('level:error TypeError undefined').level).toBe('error');
  });

  it('rejects an unknown is: value', () => {
    expect(() => parseIssueQuery('is:bogus')).toThrow(/is:bogus/);
  });
});
