import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { toRateLimitSetting } from './key-settings.js';
import type { RateLimitSetting } from './quotas.js';

/** A project's stored ingest settings; the defaults when it has no row. */
export interface ProjectIngestSettings {
  rateLimit: RateLimitSetting | null;
  spikeProtection: boolean;
}

/** Changes to a project's settings; fields left undefined keep their value. */
export interface ProjectIngestSettingsChanges {
  /** Null clears the project rate limit. */
  rateLimit?: RateLimitSetting | null;
  spikeProtection?: boolean;
}

/** Reads and writes `project_ingest_settings`. */
export class IngestControlRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Returns the settings of each project; projects without a row get the defaults. */
  async findSettings(projectIds: number[]): Promise<Map<number, ProjectIngestSettings>> {
    const rows =
      projectIds.length === 0
        ? []
        : await this.#db
            .selectFrom('projectIngestSettings')
            .selectAll()
            .where('projectId', 'in', projectIds)
            .execute();
    const settings = new Map<number, ProjectIngestSettings>();

    for (const projectId of projectIds) {
      const row = rows.find((candidate) => Number(candidate.projectId) === projectId);
      settings.set(projectId, {
        rateLimit:
          row === undefined ? null : toRateLimitSetting(row.rateLimitCount, row.rateLimitWindow),
        spikeProtection: row === undefined ? true : row.spikeProtection === 1,
      });
    }
    return settings;
  }

  /** Applies changes to a project's settings, creating its row when needed. */
  async updateSettings(
    projectId: number,
    changes: ProjectIngestSettingsChanges,
  ): Promise<ProjectIngestSettings> {
    const current = (await this.findSettings([projectId])).get(projectId);
    const next: ProjectIngestSettings = {
      rateLimit: changes.rateLimit === undefined ? (current?.rateLimit ?? null) : changes.rateLimit,
      spikeProtection: changes.spikeProtection ?? current?.spikeProtection ?? true,
    };
    const values = {
      rateLimitCount: next.rateLimit?.count ?? null,
      rateLimitWindow: next.rateLimit?.window ?? null,
      spikeProtection: next.spikeProtection ? 1 : 0,
      updatedAt: Date.now(),
    };

    await this.#db
      .insertInto('projectIngestSettings')
      .values({ projectId, ...values })
      .onConflict((conflict) => conflict.column('projectId').doUpdateSet(values))
      .execute();
    return next;
  }
}
