import { describe, expect, it } from 'vitest';

import { ValidationError } from '../errors.js';
import { readPage } from './pagination.js';

describe('readPage', () => {
  it('reads the offset of a cursor', () => {
    expect(readPage({ cursor: '0:200:0', per_page: '50' })).toEqual({ offset: 200, limit: 50 });
  });

  it('starts at zero without a cursor', () => {
    expect(readPage({})).toEqual({ offset: 0, limit: 100 });
  });

  it('rejects an offset past ten million', () => {
    expect(() => readPage({ cursor: '0:99999999999999999999999:0' })).toThrow(ValidationError);
    expect(() => readPage({ cursor: '0:10000001:0' })).toThrow(/offset too large/);
  });

  it('rejects a malformed cursor', () => {
    expect(() => readPage({ cursor: 'abc' })).toThrow(ValidationError);
  });
});
