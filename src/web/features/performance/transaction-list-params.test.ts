import { describe, expect, it } from 'vitest';

import { readTransactionListParams, updateTransactionListSearch } from './transaction-list-params';

describe('readTransactionListParams', () => {
  it('reads query, project and cursor', () => {
    const params = readTransactionListParams(
      new URLSearchParams('query=checkout&project=3&cursor=0:50:0'),
    );

    expect(params).toEqual({ query: 'checkout', projectId: '3', cursor: '0:50:0' });
  });

  it('treats empty values as absent', () => {
    expect(readTransactionListParams(new URLSearchParams('project=&cursor='))).toEqual({
      query: '',
      projectId: null,
      cursor: null,
    });
  });
});

describe('updateTransactionListSearch', () => {
  it('drops the cursor when a filter changes', () => {
    const next = updateTransactionListSearch(new URLSearchParams('cursor=0:50:0&project=3'), {
      query: 'GET',
    });

    expect(next.toString()).toBe('project=3&query=GET');
  });

  it('keeps other filters when the cursor changes', () => {
    const next = updateTransactionListSearch(new URLSearchParams('query=GET'), {
      cursor: '0:50:0',
    });

    expect(next.toString()).toBe('query=GET&cursor=0%3A50%3A0');
  });

  it('removes a filter set to an empty value', () => {
    expect(
      updateTransactionListSearch(new URLSearchParams('project=3'), { project: '' }).toString(),
    ).toBe('');
  });
});
