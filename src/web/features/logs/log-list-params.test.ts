import { describe, expect, it } from 'vitest';

import { readLogListParams, toggleLevel, updateLogListSearch } from './log-list-params';

describe('readLogListParams', () => {
  it('reads repeated and comma-separated levels in severity order', () => {
    const params = readLogListParams(new URLSearchParams('level=error,trace&level=warn'));

    expect(params.levels).toEqual(['trace', 'warn', 'error']);
  });

  it('ignores unknown levels', () => {
    expect(readLogListParams(new URLSearchParams('level=loud')).levels).toEqual([]);
  });

  it('reads the text, trace id, project and cursor', () => {
    const params = readLogListParams(
      new URLSearchParams('query=timeout&traceId=abc&project=4&cursor=0:50:0'),
    );

    expect(params).toEqual({
      levels: [],
      query: 'timeout',
      traceId: 'abc',
      projectId: '4',
      cursor: '0:50:0',
    });
  });
});

describe('updateLogListSearch', () => {
  it('drops the cursor when a filter changes', () => {
    const next = updateLogListSearch(new URLSearchParams('cursor=0:50:0&query=a'), {
      query: 'b',
    });

    expect(next.toString()).toBe('query=b');
  });

  it('keeps other filters and the project', () => {
    const next = updateLogListSearch(new URLSearchParams('project=4&query=a'), {
      levels: ['warn', 'error'],
    });

    expect(next.toString()).toBe('project=4&query=a&level=warn&level=error');
  });

  it('removes a filter set to empty text', () => {
    const next = updateLogListSearch(new URLSearchParams('traceId=abc&query=a'), {
      traceId: '  ',
    });

    expect(next.toString()).toBe('query=a');
  });

  it('sets the cursor without dropping filters', () => {
    const next = updateLogListSearch(new URLSearchParams('query=a'), { cursor: '0:50:0' });

    expect(next.get('cursor')).toBe('0:50:0');
    expect(next.get('query')).toBe('a');
  });
});

describe('toggleLevel', () => {
  it('adds a level in severity order', () => {
    expect(toggleLevel(['error'], 'debug')).toEqual(['debug', 'error']);
  });

  it('removes a selected level', () => {
    expect(toggleLevel(['debug', 'error'], 'error')).toEqual(['debug']);
  });
});
