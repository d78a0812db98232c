import { randomUUID } from 'node:crypto';

import { sql, type Kysely } from 'kysely';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { Database } from '../../platform/db/index.js';
import type { CheckInRow, EnvironmentRow, MonitorRow } from './check-in-store.js';
import type { MonitorUpdate } from './monitor-request.js';
import { rescheduleMonitor } from './monitor-reschedule.js';

export interface MonitorRecord extends MonitorRow {
  projectSlug: string;
  projectName: string;
  projectPlatform: string | null;
}

export interface NewMonitor {
  organizationId: number;
  projectId: number;
  name: string;
  slug: string;
  status: 'active' | 'disabled';
  isMuted: boolean;
  config: MonitorConfig;
  now: number;
}

export interface MonitorListQuery {
  organizationId: number;
  /** Only monitors of these projects; all projects of the organization when undefined. */
  projectIds: number[] | undefined;
  /** Case-insensitive part of the name or slug. */
  text: string | undefined;
}

/** Reads, creates, changes and deletes monitors; reads their environments and check-ins. */
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

  async isSlugTaken(organizationId: number, slug: string): Promise<boolean> {
    const row = await this.#db
      .selectFrom('monitors')
      .select('id')
      .where('organizationId', '=', organizationId)
      .where('slug', '=', slug)
      .executeTakeFirst();
    return row !== undefined;
  }

  /**
   * Inserts a monitor without environments; they come with its first check-in.
   * @throws the database's unique violation when the slug is taken in the organization.
   */
  async create(input: NewMonitor): Promise<void> {
    await this.#db
      .insertInto('monitors')
      .values({
        guid: randomUUID(),
        organizationId: input.organizationId,
        projectId: input.projectId,
        slug: input.slug,
        name: input.name,
        status: input.status,
        isMuted: input.isMuted ? 1 : 0,
        config: JSON.stringify(input.config),
        dateCreated: input.now,
      })
      .execute();
  }

  /**
   * Applies an update in one transaction. A new config also moves the next expected check-in
   * of each environment and the timeout of check-ins in progress.
   * @throws the database's unique violation when the new slug is taken in the organization.
   */
  async update(monitor: MonitorRow, update: MonitorUpdate): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      const changes = {
        ...(update.name === undefined ? {} : { name: update.name }),
        ...(update.slug === undefined ? {} : { slug: update.slug }),
        ...(update.status === undefined ? {} : { status: update.status }),
        ...(update.isMuted === undefined ? {} : { isMuted: update.isMuted ? 1 : 0 }),
        ...(update.config === undefined ? {} : { config: JSON.stringify(update.config) }),
      };
      if (Object.keys(changes).length > 0) {
        await trx.updateTable('monitors').set(changes).where('id', '=', monitor.id).execute();
      }
      if (update.config !== undefined) {
        await rescheduleMonitor(trx, monitor, update.config);
      }
    });
  }

  /** Deletes a monitor with its environments and check-ins. */
  async delete(monitorId: number): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('monitorCheckIns').where('monitorId', '=', monitorId).execute();
      await trx.deleteFrom('monitorEnvironments').where('monitorId', '=', monitorId).execute();
      await trx.deleteFrom('monitors').where('id', '=', monitorId).execute();
    });
  }

  /** Deletes the named environments of a monitor with their check-ins; returns how many. */
  async deleteEnvironments(monitorId: number, environments: string[]): Promise<number> {
    return this.#db.transaction().execute(async (trx) => {
      const rows = await trx
        .selectFrom('monitorEnvironments')
        .select('id')
        .where('monitorId', '=', monitorId)
        .where('environment', 'in', environments)
        .execute();
      const ids = rows.map((row) => row.id);
      if (ids.length === 0) {
        return 0;
      }

      await trx.deleteFrom('monitorCheckIns').where('monitorEnvironmentId', 'in', ids).execute();
      await trx.deleteFrom('monitorEnvironments').where('id', 'in', ids).execute();
      return ids.length;
    });
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
