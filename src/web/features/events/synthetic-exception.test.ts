import { describe, expect, it } from 'vitest';

import type { ExceptionEntry, ExceptionValue } from '../../../shared/api/events';
import { isStackTraceOnly, isSyntheticException } from './synthetic-exception';

function makeEntry(values: ExceptionValue[]): ExceptionEntry {
  return { type: 'exception', data: { values } };
}

describe('isSyntheticException', () => {
  it('accepts an exception marked synthetic', () => {
    const value = {
      type: 'Error',
      value: 'total mismatch',
      mechanism: { type: 'generic', synthetic: true },
    };

    expect(isSyntheticException(value)).toBe(true);
  });

  it('accepts an exception without a type', () => {
    expect(isSyntheticException({ type: null, value: 'total mismatch' })).toBe(true);
  });

  it('accepts an exception with an empty type', () => {
    expect(isSyntheticException({ type: '', value: 'total mismatch' })).toBe(true);
  });

  it('rejects a typed exception', () => {
    const value = { type: 'TypeError', mechanism: { type: 'onerror', synthetic: false } };

    expect(isSyntheticException(value)).toBe(false);
  });
});

describe('isStackTraceOnly', () => {
  it('accepts an entry of synthetic exceptions', () => {
    expect(isStackTraceOnly(makeEntry([{ value: 'total mismatch' }]))).toBe(true);
  });

  it('rejects an entry with one real exception', () => {
    const entry = makeEntry([{ value: 'total mismatch' }, { type: 'TypeError' }]);

    expect(isStackTraceOnly(entry)).toBe(false);
  });

  it('rejects an empty entry', () => {
    expect(isStackTraceOnly(makeEntry([]))).toBe(false);
  });
});
