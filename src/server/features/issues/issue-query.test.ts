import { describe, expect, it } from 'vitest';

import { parseIssueQuery } from './issue-query.js';

const NOW = Date.parse('2024-05-10T12:00:00Z');
const HOUR_MS = 3_600_000;

describe('parseIssueQuery', () => {
  it('defaults to unresolved issues', () => {
    expect(parseIssueQuery(undefined).conditions).toEqual([
      { kind: 'statuses', values: ['unresolved'], negated: false },
    ]);
  });

  it('treats an empty query as every issue', () => {
    expect(parseIssueQuery('')).toEqual({ conditions: [], text: undefined });
  });

  it('joins several statuses into one condition', () => {
    expect(parseIssueQuery('is:unresolved is:archived').conditions).toEqual([
      { kind: 'statuses', values: ['unresolved', 'ignored'], negated: false },
    ]);
  });

  it('reads the other is: values', () => {
    expect(parseIssueQuery('is:for_review !is:bookmarked').conditions).toEqual([
      { kind: 'is', value: 'for_review', negated: false },
      { kind: 'is', value: 'bookmarked', negated: true },
    ]);
  });

  it('rejects an unknown is: value naming the token', () => {
    expect(() => parseIssueQuery('is:bogus')).toThrow(/"is:bogus"/);
  });

  it('rejects malformed tokens naming them', () => {
    expect(() => parseIssueQuery('level:[error, ]')).toThrow(/"level:\[error, \]".*empty/);
    expect(() => parseIssueQuery('times_seen:>many')).toThrow(/"times_seen:>many"/);
    expect(() => parseIssueQuery('firstSeen:soon')).toThrow(/"firstSeen:soon"/);
  });

  it('reads assignees', () => {
    expect(parseIssueQuery('assigned:[me, none, #backend, Ann@Example.com]').conditions).toEqual([
      {
        kind: 'assigned',
        targets: [
          { kind: 'me' },
          { kind: 'none' },
          { kind: 'team', slug: 'backend' },
          { kind: 'user', email: 'ann@example.com' },
        ],
        negated: false,
      },
    ]);
    expect(parseIssueQuery('assigned_or_suggested:me').conditions[0]).toMatchObject({
      kind: 'assigned',
    });
  });

  it('maps columns, tags and user keys', () => {
    expect(
      parseIssueQuery('level:[error, fatal] browser:Chrome* user.email:a@b.c !environment:prod')
        .conditions,
    ).toEqual([
      { kind: 'column', column: 'level', values: ['error', 'fatal'], negated: false },
      { kind: 'tag', key: 'browser', values: ['Chrome*'], negated: false },
      { kind: 'tag', key: 'user', values: ['email:a@b.c'], negated: false },
      { kind: 'tag', key: 'environment', values: ['prod'], negated: true },
    ]);
  });

  it('reads relative and absolute times as bounds', () => {
    const query = parseIssueQuery('firstSeen:-24h lastSeen:+7d age:2024-05-01', NOW);

    expect(query.conditions).toEqual([
      {
        kind: 'date',
        column: 'firstSeen',
        bounds: [{ operator: '>=', value: NOW - 24 * HOUR_MS }],
        negated: false,
      },
      {
        kind: 'date',
        column: 'lastSeen',
        bounds: [{ operator: '<=', value: NOW - 7 * 24 * HOUR_MS }],
        negated: false,
      },
      {
        kind: 'date',
        column: 'firstSeen',
        bounds: [
          { operator: '>=', value: Date.parse('2024-05-01T00:00:00Z') },
          { operator: '<', value: Date.parse('2024-05-02T00:00:00Z') },
        ],
        negated: false,
      },
    ]);
  });

  it('reads count comparisons', () => {
    expect(parseIssueQuery('times_seen:>10 users:<=2').conditions).toEqual([
      {
        kind: 'count',
        column: 'timesSeen',
        bounds: [{ operator: '>', value: 10 }],
        negated: false,
      },
      {
        kind: 'count',
        column: 'userCount',
        bounds: [{ operator: '<=', value: 2 }],
        negated: false,
      },
    ]);
  });

  it('reads has, short ids, error fields and free text', () => {
    const query = parseIssueQuery('!has:user.id issue:WEB-1A error.type:TypeError undefined x');

    expect(query.conditions).toEqual([
      { kind: 'has', key: 'user', negated: true },
      { kind: 'shortId', values: ['WEB-1A'], negated: false },
      { kind: 'metadata', field: 'type', values: ['TypeError'], negated: false },
    ]);
    expect(query.text).toBe('undefined x');
  });

  it('unescapes quoted values', () => {
    expect(parseIssueQuery('release:"a \\"b\\""').conditions[0]).toMatchObject({
      values: ['a "b"'],
    });
  });

  it('rejects a query over the maximum length', () => {
    expect(() => parseIssueQuery('a'.repeat(5_001))).toThrow(/5001 characters long/);
  });
});
