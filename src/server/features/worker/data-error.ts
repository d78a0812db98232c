/**
 * Reports whether an error comes from the data of a record (a value the database rejects, or
 * a bug that the record triggers) rather than from the database being unavailable. Only such
 * a record may be dropped; an outage is retried, whatever it takes.
 */
export function isDataError(error: unknown): boolean {
  const code = (error as { code?: unknown }).code;

  if (typeof code === 'string') {
    const isPostgresDataError = /^2[23][0-9A-Z]{3}$/.test(code);
    const isSqliteDataError = /^SQLITE_(CONSTRAINT|MISMATCH|TOOBIG|RANGE)/.test(code);
    return isPostgresDataError || isSqliteDataError;
  }

  return error instanceof TypeError || error instanceof RangeError || error instanceof SyntaxError;
}
