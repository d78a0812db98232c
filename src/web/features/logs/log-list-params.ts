import { LOG_LEVELS, type LogLevel } from '../../../shared/api/logs';

/** The log list's filters and page, as kept in the URL. */
export interface LogListParams {
  /** Levels to show, in LOG_LEVELS order; all levels when empty. */
  levels: LogLevel[];
  /** Free text matched against log bodies. */
  query: string;
  /** 32 hex digits, or empty for all traces. */
  traceId: string;
  /** Numeric project id, or null for all projects. */
  projectId: string | null;
  cursor: string | null;
}

export type LogListChanges = Partial<{
  levels: LogLevel[];
  query: string;
  traceId: string;
  cursor: string | null;
}>;

/**
 * Reads the log list's state from the URL: `level` (repeated or comma-separated), `query`,
 * `traceId`, `project` and `cursor`. Unknown levels are ignored.
 */
export function readLogListParams(searchParams: URLSearchParams): LogListParams {
  const requested = new Set(searchParams.getAll('level').flatMap((value) => value.split(',')));

  return {
    levels: LOG_LEVELS.filter((level) => requested.has(level)),
    query: searchParams.get('query') ?? '',
    traceId: searchParams.get('traceId') ?? '',
    projectId: emptyToNull(searchParams.get('project')),
    cursor: emptyToNull(searchParams.get('cursor')),
  };
}

/**
 * Returns new search parameters with the given changes. Any change of filter drops the
 * cursor, because a cursor only means something for the query that produced it. Empty values
 * remove their parameter.
 */
export function updateLogListSearch(
  current: URLSearchParams,
  changes: LogListChanges,
): URLSearchParams {
  const next = new URLSearchParams(current);
  if (!('cursor' in changes)) {
    next.delete('cursor');
  }

  if (changes.levels !== undefined) {
    next.delete('level');
    for (const level of changes.levels) {
      next.append('level', level);
    }
  }

  for (const name of ['query', 'traceId', 'cursor'] as const) {
    const value = changes[name];
    if (value === undefined) {
      continue;
    }
    if (value === null || value.trim() === '') {
      next.delete(name);
    } else {
      next.set(name, value.trim());
    }
  }

  return next;
}

/** Adds the level to the selection, or removes it when it is selected. */
export function toggleLevel(levels: readonly LogLevel[], level: LogLevel): LogLevel[] {
  const selected = new Set(levels);
  if (selected.has(level)) {
    selected.delete(level);
  } else {
    selected.add(level);
  }
  return LOG_LEVELS.filter((candidate) => selected.has(candidate));
}

function emptyToNull(value: string | null): string | null {
  return value === null || value === '' ? null : value;
}
