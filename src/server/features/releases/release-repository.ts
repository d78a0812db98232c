import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface ReleaseRecord {
  id: number;
  organizationId: number;
  version: string;
  dateCreated: number;
  firstEvent: number | null;
  lastEvent: number | null;
  ref: string | null;
  url: string | null;
  dateReleased: number | null;
}

export interface ReleaseProjectRecord {
  releaseId: number;
  projectId: number;
  slug: string;
  name: string;
  platform: string | null;
}

/** Session and user totals of one release in one project. */
export interface HealthTotals {
  sessions: number;
  errored: number;
  crashed: number;
  abnormal: number;
  unhandled: number;
  users: number;
  crashedUsers: number;
}

export interface ReleaseListQuery {
  organizationId: number;
  /** Only releases seen in one of these projects, or all releases of the organization when undefined. */
  projectIds: number[] | undefined;
  /** Case-insensitive part of the version. */
  text: string | undefined;
  offset: number;
  limit: number;
}

export interface HealthFilter {
  /** Environments to count, or all when undefined. */
  environments: string[] | undefined;
  /** Counts only sessions that started at or after this time, in epoch milliseconds. */
  since: number | undefined;
}

/** Reads releases, the projects they were seen in and their session health. */
export class ReleaseRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Lists releases newest first, up to `limit + 1` rows, so callers see whether a next page exists. */
  list(query: ReleaseListQuery): Promise<ReleaseRecord[]> {
    const { projectIds, text } = query;
    let builder = this.#db
      .selectFrom('releases')
      .selectAll()
      .where('organizationId', '=', query.organizationId);

    if (projectIds !== undefined) {
      if (projectIds.length === 0) {
        return Promise.resolve([]);
      }
      builder = builder.where((eb) =>
        eb.exists(
          eb
            .selectFrom('releaseProjects')
            .select('releaseProjects.releaseId')
            .whereRef('releaseProjects.releaseId', '=', 'releases.id')
            .where('releaseProjects.projectId', 'in', projectIds),
        ),
      );
    }
    if (text !== undefined && text !== '') {
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
      builder = builder.where(sql<boolean>`lower(version) LIKE ${pattern} ESCAPE '\\'`);
    }

    return builder
      .orderBy('dateCreated', 'desc')
      .orderBy('id', 'desc')
      .offset(query.offset)
      .limit(query.limit + 1)
      .execute();
  }

  findByVersion(organizationId: number, version: string): Promise<ReleaseRecord | undefined> {
    return this.#db
      .selectFrom('releases')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where('version', '=', version)
      .executeTakeFirst();
  }

  async listProjects(releaseIds: number[]): Promise<ReleaseProjectRecord[]> {
    if (releaseIds.length === 0) {
      return [];
    }
    return this.#db
      .selectFrom('releaseProjects')
      .innerJoin('projects', 'projects.id', 'releaseProjects.projectId')
      .select([
        'releaseProjects.releaseId',
        'releaseProjects.projectId',
        'projects.slug',
        'projects.name',
        'projects.platform',
      ])
      .where('releaseProjects.releaseId', 'in', releaseIds)
      .orderBy('projects.slug')
      .execute();
  }

  /** Counts the issues first seen in each version, keyed by `projectId|version`. */
  async countNewIssues(projectIds: number[], versions: string[]): Promise<Map<string, number>> {
    const counts = new Map<string, number>();
    if (projectIds.length === 0 || versions.length === 0) {
      return counts;
    }

    const rows = await this.#db
      .selectFrom('issues')
      .select((eb) => ['projectId', 'firstRelease', eb.fn.countAll<number>().as('count')])
      .where('projectId', 'in', projectIds)
      .where('firstRelease', 'in', versions)
      .groupBy(['projectId', 'firstRelease'])
      .execute();
    for (const row of rows) {
      counts.set(`${Number(row.projectId)}|${row.firstRelease ?? ''}`, Number(row.count));
    }
    return counts;
  }

  /** Adds up the sessions and users of each release in each project, keyed by `releaseId|projectId`. */
  async summarizeHealth(
    releaseIds: number[],
    filter: HealthFilter,
  ): Promise<Map<string, HealthTotals>> {
    const totals = new Map<string, HealthTotals>();
    if (releaseIds.length === 0) {
      return totals;
    }
    const { environments, since } = filter;

    const sessionRows = await this.#db
      .selectFrom('releaseSessionHours')
      .select((eb) => [
        'releaseId',
        'projectId',
        eb.fn.sum<number>('sessions').as('sessions'),
        eb.fn.sum<number>('errored').as('errored'),
        eb.fn.sum<number>('crashed').as('crashed'),
        eb.fn.sum<number>('abnormal').as('abnormal'),
        eb.fn.sum<number>('unhandled').as('unhandled'),
      ])
      .where('releaseId', 'in', releaseIds)
      .$if(environments !== undefined, (qb) => qb.where('environment', 'in', environments ?? []))
      .$if(since !== undefined, (qb) => qb.where('hour', '>=', since ?? 0))
      .groupBy(['releaseId', 'projectId'])
      .execute();

    const userRows = await this.#db
      .selectFrom('releaseUsers')
      .select([
        'releaseId',
        'projectId',
        sql<number>`count(DISTINCT distinct_id)`.as('users'),
        sql<number>`count(DISTINCT CASE WHEN crashed = 1 THEN distinct_id END)`.as('crashedUsers'),
      ])
      .where('releaseId', 'in', releaseIds)
      .$if(environments !== undefined, (qb) => qb.where('environment', 'in', environments ?? []))
      .$if(since !== undefined, (qb) => qb.where('lastSeen', '>=', since ?? 0))
      .groupBy(['releaseId', 'projectId'])
      .execute();

    const entry = (releaseId: number, projectId: number) => {
      const key = `${Number(releaseId)}|${Number(projectId)}`;
      let value = totals.get(key);
      if (value === undefined) {
        value = {
          sessions: 0,
          errored: 0,
          crashed: 0,
          abnormal: 0,
          unhandled: 0,
          users: 0,
          crashedUsers: 0,
        };
        totals.set(key, value);
      }
      return value;
    };

    for (const row of sessionRows) {
      const value = entry(row.releaseId, row.projectId);
      value.sessions = Number(row.sessions);
      value.errored = Number(row.errored);
      value.crashed = Number(row.crashed);
      value.abnormal = Number(row.abnormal);
      value.unhandled = Number(row.unhandled);
    }
    for (const row of userRows) {
      const value = entry(row.releaseId, row.projectId);
      value.users = Number(row.users);
      value.crashedUsers = Number(row.crashedUsers);
    }
    return totals;
  }
}
