import type { TransactionListParams } from './performance-query-options';

/** Reads the transaction list's state from the URL: `query`, `project` and `cursor`. */
export function readTransactionListParams(searchParams: URLSearchParams): TransactionListParams {
  return {
    query: searchParams.get('query') ?? '',
    projectId: emptyToNull(searchParams.get('project')),
    cursor: emptyToNull(searchParams.get('cursor')),
  };
}

/**
 * Returns new search parameters with the given changes; an empty value removes its parameter.
 * A change of filter drops the cursor, which only means something for the filter it came from.
 */
export function updateTransactionListSearch(
  current: URLSearchParams,
  changes: Partial<Record<'query' | 'project' | 'cursor', string | null>>,
): URLSearchParams {
  const next = new URLSearchParams(current);
  if (!('cursor' in changes)) {
    next.delete('cursor');
  }

  for (const [name, value] of Object.entries(changes)) {
    if (value === null || value === '') {
      next.delete(name);
    } else {
      next.set(name, value);
    }
  }

  return next;
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}
