import { describe, expect, it } from 'vitest';

import {
  joinQuery,
  readIssueListParams,
  splitQuery,
  updateIssueListSearch,
} from './issue-list-params';

describe('readIssueListParams', () => {
  it('defaults to unresolved issues by last seen', () => {
    const params = readIssueListParams(new URLSearchParams());

    expect(params).toEqual({ query: 'is:unresolved', sort: 'date', projectId: null, cursor: null });
  });

  it('keeps an explicitly empty query for the All tab', () => {
    const params = readIssueListParams(new URLSearchParams('query='));

    expect(params.query).toBe('');
  });

  it('falls back to the default sort for an unknown value', () => {
    const params = readIssueListParams(new URLSearchParams('sort=priority'));

    expect(params.sort).toBe('date');
  });
});

describe('splitQuery', () => {
  it('separates the status token from free text', () => {
    expect(splitQuery('is:resolved TypeError  checkout')).toEqual({
      status: 'resolved',
      text: 'TypeError checkout',
    });
  });

  it('treats a query without a status token as all issues', () => {
    expect(splitQuery('timeout')).toEqual({ status: 'all', text: 'timeout' });
  });

  it('leaves a word that only starts like a token in the text', () => {
    expect(splitQuery('is:unresolvedish')).toEqual({ status: 'all', text: 'is:unresolvedish' });
  });
});

describe('joinQuery', () => {
  it('puts the status token first', () => {
    expect(joinQuery('ignored', ' flaky ')).toBe('is:ignored flaky');
  });

  it('omits the token for all issues', () => {
    expect(joinQuery('all', '')).toBe('');
  });
});

describe('updateIssueListSearch', () => {
  it('drops the cursor when a filter changes', () => {
    const next = updateIssueListSearch(new URLSearchParams('cursor=0:25:0&sort=new'), {
      sort: 'freq',
    });

    expect(next.toString()).toBe('sort=freq');
  });

  it('keeps other parameters when the cursor changes', () => {
    const next = updateIssueListSearch(new URLSearchParams('sort=new'), { cursor: '0:25:0' });

    expect(next.toString()).toBe('sort=new&cursor=0%3A25%3A0');
  });
});
