import { describe, expect, it } from 'vitest';

import {
  joinQuery,
  searchQuery,
  readIssueListParams,
  splitQuery,
  updateIssueListSearch,
} from './issue-list-params';

describe('readIssueListParams', () => {
  it('defaults to unresolved issues by last seen', () => {
    const params = readIssueListParams(new URLSearchParams());

    expect(params).toEqual({
      query: 'is:unresolved',
      sort: 'date',
      projectId: null,
      environment: null,
      statsPeriod: '14d',
      cursor: null,
    });
  });

  it('keeps an explicitly empty query for the All tab', () => {
    const params = readIssueListParams(new URLSearchParams('query='));

    expect(params.query).toBe('');
  });

  it('falls back to the default sort for an unknown value', () => {
    const params = readIssueListParams(new URLSearchParams('sort=priority'));

    expect(params.sort).toBe('date');
  });

  it('reads the users sort', () => {
    const params = readIssueListParams(new URLSearchParams('sort=user'));

    expect(params.sort).toBe('user');
  });

  it('reads environment and time range', () => {
    const params = readIssueListParams(
      new URLSearchParams('environment=production&statsPeriod=90d&project=7'),
    );

    expect(params.environment).toBe('production');
    expect(params.statsPeriod).toBe('90d');
    expect(params.projectId).toBe('7');
  });

  it('treats an empty environment as all', () => {
    const params = readIssueListParams(new URLSearchParams('environment='));

    expect(params.environment).toBeNull();
  });

  it('falls back to 14 days for an unknown time range', () => {
    const params = readIssueListParams(new URLSearchParams('statsPeriod=5y'));

    expect(params.statsPeriod).toBe('14d');
  });
});

describe('splitQuery', () => {
  it('separates the status token from free text', () => {
    expect(splitQuery('is:resolved TypeError  checkout')).toEqual({
      status: 'resolved',
      text: 'TypeError checkout',
    });
  });

  it.each([
    ['is:for_review', 'for_review'],
    ['is:regressed', 'regressed'],
    ['is:archived', 'archived'],
    ['is:ignored', 'archived'],
    ['bookmarks:me', 'bookmarked'],
    ['assigned:me', 'assigned'],
  ])('reads %s as a quick filter', (token, status) => {
    expect(splitQuery(`${token} timeout`)).toEqual({ status, text: 'timeout' });
  });

  it('treats a query without a status token as all issues', () => {
    expect(splitQuery('timeout')).toEqual({ status: 'all', text: 'timeout' });
  });

  it('leaves a word that only starts like a token in the text', () => {
    expect(splitQuery('is:unresolvedish')).toEqual({ status: 'all', text: 'is:unresolvedish' });
  });

  it('keeps other search tokens in the text', () => {
    expect(splitQuery('assigned:alice@example.com is:unresolved level:error')).toEqual({
      status: 'unresolved',
      text: 'assigned:alice@example.com level:error',
    });
  });
});

describe('joinQuery', () => {
  it('puts the status token first', () => {
    expect(joinQuery('archived', ' flaky ')).toBe('is:archived flaky');
  });

  it('writes the bookmark and assignment filters', () => {
    expect(joinQuery('bookmarked', '')).toBe('bookmarks:me');
    expect(joinQuery('assigned', 'db')).toBe('assigned:me db');
  });

  it('omits the token for all issues', () => {
    expect(joinQuery('all', '')).toBe('');
  });

  it('round-trips with splitQuery', () => {
    const { status, text } = splitQuery('is:for_review checkout');

    expect(joinQuery(status, text)).toBe('is:for_review checkout');
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

  it('removes a parameter set to null', () => {
    const next = updateIssueListSearch(new URLSearchParams('environment=staging&statsPeriod=7d'), {
      environment: null,
    });

    expect(next.toString()).toBe('statsPeriod=7d');
  });

  it('sets query and sort together for a saved search', () => {
    const next = updateIssueListSearch(new URLSearchParams('project=3&cursor=0:25:0'), {
      query: 'is:resolved db',
      sort: 'freq',
    });

    expect(next.get('project')).toBe('3');
    expect(next.get('query')).toBe('is:resolved db');
    expect(next.get('sort')).toBe('freq');
    expect(next.has('cursor')).toBe(false);
  });
});

describe('joinQuery with status tokens in the text', () => {
  it('lets a status tab replace a typed status token', () => {
    expect(joinQuery('resolved', '!is:archived is:new timeout')).toBe('is:resolved timeout');
  });

  it('keeps typed status tokens under the bookmark tab', () => {
    expect(joinQuery('bookmarked', 'is:escalating')).toBe('bookmarks:me is:escalating');
  });
});

describe('searchQuery', () => {
  it('replaces the tab token with a typed status token', () => {
    expect(searchQuery('unresolved', 'is:resolved')).toBe('is:resolved');
  });

  it('does not repeat the tab token when it is typed again', () => {
    expect(searchQuery('unresolved', 'is:unresolved level:error')).toBe(
      'is:unresolved level:error',
    );
  });

  it.each(['!is:resolved', 'is:ignored', 'is:escalating', 'is:new', '!is:for_review'])(
    'treats %s as a status token',
    (token) => {
      expect(searchQuery('unresolved', `${token} db`)).toBe(`${token} db`);
    },
  );

  it('keeps the tab token before free text without a status token', () => {
    expect(searchQuery('archived', 'level:error timeout')).toBe('is:archived level:error timeout');
  });

  it('drops repeated search tokens but keeps repeated words', () => {
    expect(searchQuery('all', 'level:error foo level:error foo')).toBe('level:error foo foo');
    expect(searchQuery('assigned', 'assigned:me db')).toBe('assigned:me db');
  });

  it('gives a query whose tab matches the typed status', () => {
    expect(splitQuery(searchQuery('unresolved', 'is:resolved level:error'))).toEqual({
      status: 'resolved',
      text: 'level:error',
    });
  });
});
