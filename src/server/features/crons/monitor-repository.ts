import { sql, type Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import type { CheckInRow, EnvironmentRow, MonitorRow } from './check-in-store.js';

export interface MonitorRecord extends MonitorRow {
  projectSlug: string;
  projectName: string;
  projectPlatform: string | null;
}

export interface MonitorListQuery {
  organizationId: number;
  /** Only monitors of these projects; all projects of the organization when undefined. */
  projectIds: number[] | undefined;
  /** Case-insensitive part of the name or slug. */
  text: string | undefined;
}

/** Reads monitors, their environments and check-ins. */
export class MonitorRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  list(query: MonitorListQuery): Promise<MonitorRecord[]> {
    const { projectIds, text } = query;
    if (projectIds?.length === 0) {
      return Promise.resolve([]);
    }

    return this.#selectMonitors()
      .where('monitors.organizationId', '=', query.organizationId)
      .$if(projectIds !== undefined, (qb) => qb.where('monitors.projectId', 'in', projectIds ?? []))
      .$if(text !== undefined && text !== '', (qb) => {
        const pattern = `%${(text ?? '').toLowerCase().replace(/[\\%_]/g, (match) => `\\${match}`)}%`;
        return qb.where(
          sql<boolean>`(lower(monitors.name) LIKE ${pattern} ESCAPE '\\' OR monitors.slug LIKE ${pattern} ESCAPE '\\')`,
        );
      })
      .orderBy('monitors.name')
      .execute();
  }

  /** Finds a monitor by slug or by its UUID. */
  find(organizationId: number, slugOrGuid: string): Promise<MonitorRecord | undefined> {
    const column = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(
      slugOrGuid,
    )
      ? 'monitors.guid'
      : 'monitors.slug';
    return this.#selectMonitors()
      .where('monitors.organizationId', '=', organizationId)
      .where(column, '=', column === 'monitors.guid' ? slugOrGuid.toLowerCase() : slugOrGuid)
      .executeTakeFirst();
  }

  async listEnvironments(monitorIds: number[]): Promise<EnvironmentRow[]> {
    if (monitorIds.length === 0) {
      return [];
    }
    return this.#db
      .selectFrom('monitorEnvironments')
      .selectAll()
      .where('monitorId', 'in', monitorIds)
      .orderBy('lastCheckIn', 'desc')
      .orderBy('environment')
      .execute();
  }

  /** Returns the newest check-in of each environment, keyed by environment id. */
  async findLatestCheckIns(environmentIds: number[]): Promise<Map<number, CheckInRow>> {
    const latest = new Map<number, CheckInRow>();
    if (environmentIds.length === 0) {
      return latest;
    }

    const rows = await this.#db
      .selectFrom('monitorCheckIns as c')
      .selectAll('c')
      .where('c.monitorEnvironmentId', 'in', environmentIds)
      .where((eb) =>
        eb(
          'c.id',
          '=',
          eb
            .selectFrom('monitorCheckIns as newer')
            .select('newer.id')
            .whereRef('newer.monitorEnvironmentId', '=', 'c.monitorEnvironmentId')
            .orderBy('newer.dateCreated', 'desc')
            .orderBy('newer.id', 'desc')
            .limit(1),
        ),
      )
      .execute();
    for (const row of rows) {
      latest.set(Number(row.monitorEnvironmentId), row);
    }
    return latest;
  }

  /** Lists check-ins newest first with their environment; returns up to `limit + 1` rows. */
  listCheckIns(input: {
    monitorId: number;
    environments: string[] | undefined;
    offset: number;
    limit: number;
  }): Promise<(CheckInRow & { environment: string })[]> {
    const { environments } = input;
    return this.#db
      .selectFrom('monitorCheckIns')
      .innerJoin(
        'monitorEnvironments',
        'monitorEnvironments.id',
        'monitorCheckIns.monitorEnvironmentId',
      )
      .selectAll('monitorCheckIns')
      .select('monitorEnvironments.environment')
      .where('monitorCheckIns.monitorId', '=', input.monitorId)
      .$if(environments !== undefined, (qb) =>
        qb.where('monitorEnvironments.environment', 'in', environments ?? []),
      )
      .orderBy('monitorCheckIns.dateCreated', 'desc')
      .orderBy('monitorCheckIns.id', 'desc')
      .offset(input.offset)
      .limit(input.limit + 1)
      .execute();
  }

  #selectMonitors() {
    return this.#db
      .selectFrom('monitors')
      .innerJoin('projects', 'projects.id', 'monitors.projectId')
      .selectAll('monitors')
      .select([
        'projects.slug as projectSlug',
        'projects.name as projectName',
        'projects.platform as projectPlatform',
      ]);
  }
}
