import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { FINISHED_TASK_MS, STALE_TASK_MS } from './upload-limits.js';

/** Kind of an assemble request: an artifact bundle, or release files (sentry-cli 2.x). */
export type AssembleKind = 'artifact_bundle' | 'release_bundle';

/** Sentry's assemble states as stored; `not_found` is only ever computed. */
export type AssembleState = 'created' | 'assembling' | 'ok' | 'error';

export interface AssembleTaskKey {
  organizationId: number;
  kind: AssembleKind;
  checksum: string;
}

export interface AssembleTask {
  state: AssembleState;
  detail: string | null;
  dateUpdated: number;
}

const RUNNING: AssembleState[] = ['created', 'assembling'];
const FINISHED: AssembleState[] = ['ok', 'error'];

/**
 * Rows of `assemble_tasks`: the state of each assembly, shared by every web process. A task
 * is current while it runs with recent heartbeats, and for a while after it finished. Once it
 * expired, the next request may claim it again.
 */
export class AssembleTaskStore {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Returns the task when it is current, or undefined when it is absent or expired. */
  async findCurrent(key: AssembleTaskKey, now = Date.now()): Promise<AssembleTask | undefined> {
    const row = await this.#db
      .selectFrom('assembleTasks')
      .select(['state', 'detail', 'dateUpdated'])
      .where('organizationId', '=', key.organizationId)
      .where('kind', '=', key.kind)
      .where('checksum', '=', key.checksum)
      .executeTakeFirst();
    if (row === undefined) {
      return undefined;
    }

    const task = {
      ...row,
      state: row.state as AssembleState,
      dateUpdated: Number(row.dateUpdated),
    };
    return isExpired(task, now) ? undefined : task;
  }

  /**
   * Creates the task in state `created`, or takes over an expired one, in one statement, so
   * that of two concurrent requests only one starts an assembly. Returns whether this call did.
   */
  async claim(key: AssembleTaskKey, now = Date.now()): Promise<boolean> {
    const result = await this.#db
      .insertInto('assembleTasks')
      .values({ ...key, state: 'created', detail: null, dateUpdated: now })
      .onConflict((conflict) =>
        conflict
          .columns(['organizationId', 'kind', 'checksum'])
          .doUpdateSet({ state: 'created', detail: null, dateUpdated: now })
          .where((eb) =>
            eb.or([
              eb.and([
                eb('assembleTasks.state', 'in', RUNNING),
                eb('assembleTasks.dateUpdated', '<', now - STALE_TASK_MS),
              ]),
              eb.and([
                eb('assembleTasks.state', 'in', FINISHED),
                eb('assembleTasks.dateUpdated', '<', now - FINISHED_TASK_MS),
              ]),
            ]),
          ),
      )
      .executeTakeFirst();
    return Number(result.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  /** Records that the task's process is still working on it, keeping its state. */
  async renew(key: AssembleTaskKey): Promise<void> {
    await this.#db
      .updateTable('assembleTasks')
      .set({ dateUpdated: Date.now() })
      .where('organizationId', '=', key.organizationId)
      .where('kind', '=', key.kind)
      .where('checksum', '=', key.checksum)
      .where('state', 'in', RUNNING)
      .execute();
  }

  /** Records a new state. */
  async update(
    key: AssembleTaskKey,
    state: AssembleState,
    detail: string | null = null,
  ): Promise<void> {
    await this.#db
      .updateTable('assembleTasks')
      .set({ state, detail, dateUpdated: Date.now() })
      .where('organizationId', '=', key.organizationId)
      .where('kind', '=', key.kind)
      .where('checksum', '=', key.checksum)
      .execute();
  }

  /** Deletes a task, so that the next request starts it afresh. */
  async remove(key: AssembleTaskKey): Promise<void> {
    await this.#db
      .deleteFrom('assembleTasks')
      .where('organizationId', '=', key.organizationId)
      .where('kind', '=', key.kind)
      .where('checksum', '=', key.checksum)
      .execute();
  }

  /** Deletes tasks last updated before `cutoff`; they are expired long since. */
  async deleteBefore(cutoff: number): Promise<number> {
    const result = await this.#db
      .deleteFrom('assembleTasks')
      .where('dateUpdated', '<', cutoff)
      .executeTakeFirst();
    return Number(result.numDeletedRows);
  }
}

function isExpired(task: AssembleTask, now: number): boolean {
  const maxAge = RUNNING.includes(task.state) ? STALE_TASK_MS : FINISHED_TASK_MS;
  return task.dateUpdated < now - maxAge;
}
