import { sql, type Kysely, type RawBuilder } from 'kysely';

import type { Database, Dialect } from '../../platform/db/index.js';

/** A release version seen in a project: by a session (no event times) or by error events. */
export interface ReleaseSighting {
  projectId: number;
  version: string;
  seenAt: number;
  firstEvent: number | null;
  lastEvent: number | null;
}

const ROWS_PER_STATEMENT = 200;

/**
 * Creates the releases and release projects of a batch that do not exist yet, and widens the
 * first and last event times of those that do. Runs two statements per 200 distinct
 * (project, version) pairs, whatever the number of events or sessions behind them.
 */
export async function upsertReleases(
  trx: Kysely<Database>,
  dialect: Dialect,
  sightings: ReleaseSighting[],
): Promise<void> {
  const rows = mergeSightings(sightings);
  const least = sql.raw(dialect === 'postgres' ? 'LEAST' : 'MIN');
  const greatest = sql.raw(dialect === 'postgres' ? 'GREATEST' : 'MAX');

  for (let start = 0; start < rows.length; start += ROWS_PER_STATEMENT) {
    const values = sightingValues(rows.slice(start, start + ROWS_PER_STATEMENT));

    // `WHERE true` keeps SQLite from reading the upsert's ON as a join condition.
    await sql`
      INSERT INTO releases (organization_id, version, date_created, first_event, last_event)
      SELECT p.organization_id, v.column2, MIN(v.column3), MIN(v.column4), MAX(v.column5)
      FROM ${values} AS v
      JOIN projects p ON p.id = v.column1
      WHERE true
      GROUP BY p.organization_id, v.column2
      ON CONFLICT (organization_id, version) DO UPDATE SET
        first_event = ${least}(
          COALESCE(releases.first_event, excluded.first_event),
          COALESCE(excluded.first_event, releases.first_event)
        ),
        last_event = ${greatest}(
          COALESCE(releases.last_event, excluded.last_event),
          COALESCE(excluded.last_event, releases.last_event)
        )
    `.execute(trx);

    await sql`
      INSERT INTO release_projects (release_id, project_id, date_created)
      SELECT r.id, v.column1, MIN(v.column3)
      FROM ${values} AS v
      JOIN projects p ON p.id = v.column1
      JOIN releases r ON r.organization_id = p.organization_id AND r.version = v.column2
      WHERE true
      GROUP BY r.id, v.column1
      ON CONFLICT (release_id, project_id) DO NOTHING
    `.execute(trx);
  }
}

/** Returns the release id of each (project, version) pair, keyed by {@link releaseKey}. */
export async function findReleaseIds(
  trx: Kysely<Database>,
  pairs: { projectId: number; version: string }[],
): Promise<Map<string, number>> {
  const ids = new Map<string, number>();
  const unique = [
    ...new Map(pairs.map((pair) => [releaseKey(pair.projectId, pair.version), pair])).values(),
  ];

  for (let start = 0; start < unique.length; start += ROWS_PER_STATEMENT) {
    const chunk = unique.slice(start, start + ROWS_PER_STATEMENT);
    const values = sql`(VALUES ${sql.join(
      chunk.map((pair) => sql`(CAST(${pair.projectId} AS bigint), CAST(${pair.version} AS text))`),
    )})`;
    const result = await sql<{ id: number; projectId: number; version: string }>`
      SELECT r.id AS id, v.column1 AS project_id, v.column2 AS version
      FROM ${values} AS v
      JOIN projects p ON p.id = v.column1
      JOIN releases r ON r.organization_id = p.organization_id AND r.version = v.column2
    `.execute(trx);

    for (const row of result.rows) {
      ids.set(releaseKey(Number(row.projectId), row.version), Number(row.id));
    }
  }
  return ids;
}

export function releaseKey(projectId: number, version: string): string {
  return `${projectId}\u0000${version}`;
}

function mergeSightings(sightings: ReleaseSighting[]): ReleaseSighting[] {
  const merged = new Map<string, ReleaseSighting>();

  for (const sighting of sightings) {
    const key = releaseKey(sighting.projectId, sighting.version);
    const existing = merged.get(key);
    if (existing === undefined) {
      merged.set(key, { ...sighting });
      continue;
    }
    existing.seenAt = Math.min(existing.seenAt, sighting.seenAt);
    existing.firstEvent = pick(existing.firstEvent, sighting.firstEvent, Math.min);
    existing.lastEvent = pick(existing.lastEvent, sighting.lastEvent, Math.max);
  }
  return [...merged.values()];
}

function pick(a: number | null, b: number | null, choose: (x: number, y: number) => number) {
  if (a === null) {
    return b;
  }
  return b === null ? a : choose(a, b);
}

// Casts give the VALUES columns their types on PostgreSQL, which reads bare parameters there
// as text. Both engines name the columns column1, column2 and so on.
function sightingValues(rows: ReleaseSighting[]): RawBuilder<unknown> {
  return sql`(VALUES ${sql.join(
    rows.map(
      (row) =>
        sql`(CAST(${row.projectId} AS bigint), CAST(${row.version} AS text), CAST(${row.seenAt} AS bigint), CAST(${row.firstEvent} AS bigint), CAST(${row.lastEvent} AS bigint))`,
    ),
  )})`;
}
