import { sql, type Expression, type RawBuilder } from 'kysely';

/**
 * Projects per statement of a list that spans projects. Each project is one arm of a
 * `UNION ALL`, and SQLite's default `SQLITE_MAX_COMPOUND_SELECT` allows 500 arms.
 */
export const PROJECTS_PER_STATEMENT = 100;

/** A page of a newest-first list: rows to skip, and rows to return (the extra row included). */
export interface RowWindow {
  offset: number;
  count: number;
}

/**
 * Lists the rows of several projects newest first, so that each project's rows come in order
 * from its `(project_id, time, id)` index and no engine sorts every row of those projects.
 * `listGroup` runs one statement for up to {@link PROJECTS_PER_STATEMENT} projects. With more
 * projects, each group returns its first `offset + count` rows and they are merged here.
 */
export async function listAcrossProjects<Row>(
  projectIds: number[],
  window: RowWindow,
  listGroup: (projectIds: number[], window: RowWindow) => Promise<Row[]>,
  compareNewestFirst: (a: Row, b: Row) => number,
): Promise<Row[]> {
  const groups: number[][] = [];
  for (let start = 0; start < projectIds.length; start += PROJECTS_PER_STATEMENT) {
    groups.push(projectIds.slice(start, start + PROJECTS_PER_STATEMENT));
  }

  if (groups.length <= 1) {
    return groups[0] === undefined ? [] : listGroup(groups[0], window);
  }

  const head = { offset: 0, count: window.offset + window.count };
  const pages = await Promise.all(groups.map((group) => listGroup(group, head)));
  return pages
    .flat()
    .sort(compareNewestFirst)
    .slice(window.offset, window.offset + window.count);
}

/**
 * Builds the PostgreSQL form of a per-project union: each arm is ordered and limited to the
 * rows the page can need, so the planner reads each arm backwards from its index and merges
 * them (Merge Append). `orderBy` is the SQL ORDER BY list of the arms' result columns.
 * SQLite merges plain `UNION ALL` arms lazily on its own and rejects parenthesised arms, so it
 * uses Kysely's `unionAll` instead.
 */
export function unionOfLimitedArms<Row>(
  arms: readonly Expression<Row>[],
  orderBy: RawBuilder<unknown>,
  window: RowWindow,
): RawBuilder<Row> {
  return sql<Row>`${sql.join(arms, sql` UNION ALL `)} ORDER BY ${orderBy} LIMIT ${window.count} OFFSET ${window.offset}`;
}
