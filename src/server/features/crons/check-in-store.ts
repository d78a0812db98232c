import { randomUUID } from 'node:crypto';

import type { Kysely, Selectable } from 'kysely';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { Database } from '../../platform/db/index.js';

export type MonitorRow = Selectable<Database['monitors']>;
export type EnvironmentRow = Selectable<Database['monitorEnvironments']>;
export type CheckInRow = Selectable<Database['monitorCheckIns']>;

/**
 * The monitor, environment and check-in writes of the check-in processor, inside the batch's
 * transaction. Check-ins are processed one at a time because each may update the one before.
 */
export class CheckInStore {
  readonly #trx: Kysely<Database>;

  constructor(trx: Kysely<Database>) {
    this.#trx = trx;
  }

  findOrganizationId(projectId: number): Promise<number | undefined> {
    return this.#trx
      .selectFrom('projects')
      .select('organizationId')
      .where('id', '=', projectId)
      .executeTakeFirst()
      .then((row) => (row === undefined ? undefined : Number(row.organizationId)));
  }

  findMonitor(organizationId: number, slug: string): Promise<MonitorRow | undefined> {
    return this.#trx
      .selectFrom('monitors')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where('slug', '=', slug)
      .executeTakeFirst();
  }

  createMonitor(input: {
    organizationId: number;
    projectId: number;
    slug: string;
    config: MonitorConfig;
    now: number;
  }): Promise<MonitorRow> {
    return this.#trx
      .insertInto('monitors')
      .values({
        guid: randomUUID(),
        organizationId: input.organizationId,
        projectId: input.projectId,
        slug: input.slug,
        name: input.slug,
        status: 'active',
        isMuted: 0,
        config: JSON.stringify(input.config),
        dateCreated: input.now,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateMonitorConfig(monitorId: number, config: MonitorConfig): Promise<void> {
    await this.#trx
      .updateTable('monitors')
      .set({ config: JSON.stringify(config) })
      .where('id', '=', monitorId)
      .execute();
  }

  /** Returns the monitor's environment of that name, creating it with status `active`. */
  async ensureEnvironment(
    monitorId: number,
    environment: string,
    now: number,
  ): Promise<EnvironmentRow> {
    await this.#trx
      .insertInto('monitorEnvironments')
      .values({
        monitorId,
        environment,
        status: 'active',
        dateCreated: now,
        lastCheckIn: null,
        nextCheckIn: null,
        nextCheckInLatest: null,
      })
      .onConflict((conflict) => conflict.columns(['monitorId', 'environment']).doNothing())
      .execute();

    return this.#trx
      .selectFrom('monitorEnvironments')
      .selectAll()
      .where('monitorId', '=', monitorId)
      .where('environment', '=', environment)
      .executeTakeFirstOrThrow();
  }

  findCheckIn(projectId: number, guid: string): Promise<CheckInRow | undefined> {
    return this.#trx
      .selectFrom('monitorCheckIns')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('guid', '=', guid)
      .executeTakeFirst();
  }

  findLatestInProgress(environmentId: number): Promise<CheckInRow | undefined> {
    return this.#trx
      .selectFrom('monitorCheckIns')
      .selectAll()
      .where('monitorEnvironmentId', '=', environmentId)
      .where('status', '=', 'in_progress')
      .orderBy('dateCreated', 'desc')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst();
  }

  /** Returns the statuses of the environment's newest check-ins, newest first. */
  async listRecentStatuses(environmentId: number, limit: number): Promise<string[]> {
    const rows = await this.#trx
      .selectFrom('monitorCheckIns')
      .select('status')
      .where('monitorEnvironmentId', '=', environmentId)
      .orderBy('dateCreated', 'desc')
      .orderBy('id', 'desc')
      .limit(limit)
      .execute();
    return rows.map((row) => row.status);
  }

  async insertCheckIn(row: Omit<CheckInRow, 'id'>): Promise<void> {
    await this.#trx.insertInto('monitorCheckIns').values(row).execute();
  }

  async updateCheckIn(
    id: number,
    changes: Partial<Pick<CheckInRow, 'status' | 'duration' | 'dateUpdated' | 'timeoutAt'>>,
  ): Promise<void> {
    await this.#trx.updateTable('monitorCheckIns').set(changes).where('id', '=', id).execute();
  }

  /**
   * Records a check-in on its environment, unless the environment already has a newer one,
   * as Sentry does for check-ins that arrive out of order.
   */
  async updateEnvironment(
    environment: EnvironmentRow,
    changes: Pick<EnvironmentRow, 'status' | 'lastCheckIn' | 'nextCheckIn' | 'nextCheckInLatest'>,
  ): Promise<void> {
    await this.#trx
      .updateTable('monitorEnvironments')
      .set(changes)
      .where('id', '=', environment.id)
      .where((eb) =>
        eb.or([eb('lastCheckIn', 'is', null), eb('lastCheckIn', '<=', changes.lastCheckIn ?? 0)]),
      )
      .execute();
  }
}
