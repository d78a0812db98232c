import type { Kysely, Selectable } from 'kysely';

import { FILTER_REASONS, type FilterReason } from '../../../shared/api/filters.js';
import type { Database } from '../../platform/db/index.js';
import type { ProjectFilterSettingsTable } from '../../platform/db/tables/filters.js';
import {
  decodeLegacyBrowsers,
  encodeLegacyBrowsers,
  NEW_PROJECT_FILTER_SETTINGS,
  splitOptionLines,
  UNSET_FILTER_SETTINGS,
  type FilterSettings,
} from './filter-settings.js';

type SettingsRow = Selectable<ProjectFilterSettingsTable>;
type SettingsColumns = Omit<ProjectFilterSettingsTable, 'projectId' | 'updatedAt'>;

function fromRow(row: SettingsRow): FilterSettings {
  return {
    browserExtensions: Number(row.browserExtensions) === 1,
    localhost: Number(row.localhost) === 1,
    webCrawlers: Number(row.webCrawlers) === 1,
    filteredTransaction: Number(row.filteredTransaction) === 1,
    legacyBrowsers: decodeLegacyBrowsers(row.legacyBrowsers),
    blacklistedIps: splitOptionLines(row.blacklistedIps),
    releases: splitOptionLines(row.releases),
    errorMessages: splitOptionLines(row.errorMessages),
  };
}

/** Maps the given settings fields to their columns. */
function toColumns(settings: Partial<FilterSettings>): Partial<SettingsColumns> {
  const columns: Partial<SettingsColumns> = {};
  const flag = (value: boolean) => (value ? 1 : 0);

  if (settings.browserExtensions !== undefined) {
    columns.browserExtensions = flag(settings.browserExtensions);
  }
  if (settings.localhost !== undefined) {
    columns.localhost = flag(settings.localhost);
  }
  if (settings.webCrawlers !== undefined) {
    columns.webCrawlers = flag(settings.webCrawlers);
  }
  if (settings.filteredTransaction !== undefined) {
    columns.filteredTransaction = flag(settings.filteredTransaction);
  }
  if (settings.legacyBrowsers !== undefined) {
    columns.legacyBrowsers = encodeLegacyBrowsers(settings.legacyBrowsers);
  }
  if (settings.blacklistedIps !== undefined) {
    columns.blacklistedIps = settings.blacklistedIps.join('\n');
  }
  if (settings.releases !== undefined) {
    columns.releases = settings.releases.join('\n');
  }
  if (settings.errorMessages !== undefined) {
    columns.errorMessages = settings.errorMessages.join('\n');
  }
  return columns;
}

/** Reads the settings of several projects; projects without a row get the unset defaults. */
export async function readFilterSettings(
  db: Kysely<Database>,
  projectIds: readonly number[],
): Promise<Map<number, FilterSettings>> {
  const settings = new Map<number, FilterSettings>();
  if (projectIds.length === 0) {
    return settings;
  }

  const rows = await db
    .selectFrom('projectFilterSettings')
    .selectAll()
    .where('projectId', 'in', [...projectIds])
    .execute();
  for (const row of rows) {
    settings.set(Number(row.projectId), fromRow(row));
  }
  for (const projectId of projectIds) {
    if (!settings.has(projectId)) {
      settings.set(projectId, { ...UNSET_FILTER_SETTINGS });
    }
  }
  return settings;
}

/** Stores a new project's settings, Sentry's defaults for new projects. */
export async function insertNewProjectFilterSettings(
  db: Kysely<Database>,
  projectId: number,
): Promise<void> {
  await db
    .insertInto('projectFilterSettings')
    .values({
      projectId,
      ...(toColumns(NEW_PROJECT_FILTER_SETTINGS) as SettingsColumns),
      updatedAt: Date.now(),
    })
    .execute();
}

/**
 * Changes the given settings fields of a project and leaves the others as they are. A project
 * without a row gets one holding the unset defaults plus the change. Only the changed columns
 * are written on conflict, so concurrent changes of different filters do not undo each other.
 */
export async function updateFilterSettings(
  db: Kysely<Database>,
  projectId: number,
  change: Partial<FilterSettings>,
): Promise<void> {
  const changed = toColumns(change);
  const updatedAt = Date.now();

  await db
    .insertInto('projectFilterSettings')
    .values({
      projectId,
      ...(toColumns(UNSET_FILTER_SETTINGS) as SettingsColumns),
      ...changed,
      updatedAt,
    })
    .onConflict((conflict) => conflict.column('projectId').doUpdateSet({ ...changed, updatedAt }))
    .execute();
}

/** Events each filter dropped since `since` (epoch ms), by filter reason. */
export async function countFilteredEvents(
  db: Kysely<Database>,
  projectId: number,
  since: number,
): Promise<Record<FilterReason, number>> {
  const rows = await db
    .selectFrom('outcomes')
    .select(['reason', (eb) => eb.fn.sum<number | string>('quantity').as('quantity')])
    .where('projectId', '=', projectId)
    .where('hour', '>=', since)
    .where('outcome', '=', 'filtered')
    .where('reason', 'in', [...FILTER_REASONS])
    .groupBy('reason')
    .execute();

  const counts = Object.fromEntries(FILTER_REASONS.map((reason) => [reason, 0])) as Record<
    FilterReason,
    number
  >;
  for (const row of rows) {
    counts[row.reason as FilterReason] = Number(row.quantity);
  }
  return counts;
}
