import type { Kysely } from 'kysely';

import type { DataScrubbingSettings } from '../../../shared/api/data-scrubbing.js';
import type { Database } from '../../platform/db/index.js';
import type { CompiledPiiConfig } from './compile-config.js';
import {
  buildScrubbingConfig,
  ORGANIZATION_DEFAULTS,
  PROJECT_DEFAULTS,
  readSettingsJson,
} from './scrubbing-settings.js';

/** The `project_id` of an organization's own row in `scrubbing_settings`. */
export const ORGANIZATION_ROW = 0;

/** Reads and writes the data-scrubbing settings of organizations and projects. */
export class ScrubbingSettingsRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  /** Returns the stored settings over the defaults of an organization or a project. */
  async read(organizationId: number, projectId: number): Promise<DataScrubbingSettings> {
    const row = await this.#db
      .selectFrom('scrubbingSettings')
      .select('config')
      .where('organizationId', '=', organizationId)
      .where('projectId', '=', projectId)
      .executeTakeFirst();
    return readSettingsJson(
      row?.config,
      projectId === ORGANIZATION_ROW ? ORGANIZATION_DEFAULTS : PROJECT_DEFAULTS,
    );
  }

  async write(
    organizationId: number,
    projectId: number,
    settings: DataScrubbingSettings,
  ): Promise<void> {
    const config = JSON.stringify(settings);
    const updatedAt = Date.now();
    await this.#db
      .insertInto('scrubbingSettings')
      .values({ organizationId, projectId, config, updatedAt })
      .onConflict((conflict) =>
        conflict.columns(['organizationId', 'projectId']).doUpdateSet({ config, updatedAt }),
      )
      .execute();
  }
}

// Compiled configs by the settings they were built from. Compiling costs more than reading
// the rows, and most batches come from a few projects whose settings rarely change.
const compiledCache = new Map<string, CompiledPiiConfig>();
const MAX_CACHED_CONFIGS = 500;

function compileCached(
  organization: string | undefined,
  project: string | undefined,
): CompiledPiiConfig {
  const cacheKey = `${organization ?? ''}\u0000${project ?? ''}`;
  const cached = compiledCache.get(cacheKey);
  if (cached !== undefined) {
    return cached;
  }
  const compiled = buildScrubbingConfig(
    readSettingsJson(organization, ORGANIZATION_DEFAULTS),
    readSettingsJson(project, PROJECT_DEFAULTS),
  );
  if (compiledCache.size >= MAX_CACHED_CONFIGS) {
    compiledCache.clear();
  }
  compiledCache.set(cacheKey, compiled);
  return compiled;
}

/**
 * Loads the compiled scrubbing config of each project, combined with its organization's
 * settings. Projects without stored settings get Sentry's defaults.
 */
export async function loadScrubbingConfigs(
  db: Kysely<Database>,
  projectIds: readonly number[],
): Promise<Map<number, CompiledPiiConfig>> {
  const configs = new Map<number, CompiledPiiConfig>();
  const unique = [...new Set(projectIds)];
  if (unique.length === 0) {
    return configs;
  }

  const projects = await db
    .selectFrom('projects')
    .select(['id', 'organizationId'])
    .where('id', 'in', unique)
    .execute();
  const organizationIds = [...new Set(projects.map((project) => project.organizationId))];
  const rows =
    organizationIds.length === 0
      ? []
      : await db
          .selectFrom('scrubbingSettings')
          .select(['organizationId', 'projectId', 'config'])
          .where('organizationId', 'in', organizationIds)
          .where('projectId', 'in', [ORGANIZATION_ROW, ...unique])
          .execute();
  const stored = new Map(rows.map((row) => [`${row.organizationId}/${row.projectId}`, row.config]));

  for (const id of unique) {
    const project = projects.find((candidate) => candidate.id === id);
    const organizationId = project?.organizationId;
    configs.set(
      id,
      compileCached(
        stored.get(`${organizationId}/${ORGANIZATION_ROW}`),
        stored.get(`${organizationId}/${id}`),
      ),
    );
  }
  return configs;
}
