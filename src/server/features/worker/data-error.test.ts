import { describe, expect, it } from 'vitest';

import { isDataError } from './data-error.js';

function withCode(code: string): Error {
  return Object.assign(new Error('failed'), { code });
}

describe('isDataError', () => {
  it.each([
    ['22021', 'PostgreSQL invalid byte sequence'],
    ['23505', 'PostgreSQL unique violation'],
    ['SQLITE_CONSTRAINT_UNIQUE', 'SQLite constraint'],
    ['SQLITE_TOOBIG', 'SQLite value too big'],
  ])('treats code %s (%s) as a data error', (code) => {
    expect(isDataError(withCode(code))).toBe(true);
  });

  it.each([
    ['ECONNREFUSED', 'PostgreSQL not running'],
    ['57P01', 'PostgreSQL shutting down'],
    ['08006', 'PostgreSQL connection failure'],
    ['SQLITE_FULL', 'disk full'],
    ['SQLITE_BUSY', 'database locked'],
    ['SQLITE_IOERR_WRITE', 'I/O error'],
  ])('treats code %s (%s) as an outage', (code) => {
    expect(isDataError(withCode(code))).toBe(false);
  });

  it('treats a TypeError from processing as a data error', () => {
    expect(isDataError(new TypeError('cannot read properties of undefined'))).toBe(true);
  });

  it('treats a plain Error without code as an outage', () => {
    expect(isDataError(new Error('Connection terminated unexpectedly'))).toBe(false);
  });
});
