import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import {
  FILTER_IDS,
  type FilterId,
  type FilterStats,
  type ProjectFilter,
} from '../../../shared/api/filters.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Scope } from '../accounts/scopes.js';
import { resolveProject, type OrganizationRepository } from '../organizations/index.js';
import {
  countFilteredEvents,
  readFilterSettings,
  updateFilterSettings,
} from './filter-repository.js';
import type { FilterSettings } from './filter-settings.js';
import { isLegacyBrowserSubfilter, LEGACY_BROWSER_SUBFILTERS } from './legacy-browsers.js';

export interface FilterRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
}

type ProjectParams = { org: string; project: string };
type FilterParams = ProjectParams & { filterId: string };

const READ_SCOPES: readonly Scope[] = ['project:read', 'project:write', 'project:admin'];
const WRITE_SCOPES: readonly Scope[] = ['project:write', 'project:admin'];
const STATS_PERIOD_MS = 30 * 24 * 3_600_000;

type BooleanFilterField = 'browserExtensions' | 'localhost' | 'webCrawlers' | 'filteredTransaction';

interface FilterSpec {
  name: string;
  description: string;
  field: BooleanFilterField | 'legacyBrowsers';
}

const FILTER_SPECS: Record<FilterId, FilterSpec> = {
  'browser-extensions': {
    name: 'Filter out errors caused by known browser extensions',
    description:
      'Browser extensions inject scripts into pages; errors thrown by those scripts are dropped.',
    field: 'browserExtensions',
  },
  localhost: {
    name: 'Filter out events from localhost',
    description:
      'Drops events whose user IP, URL or forwarded host is 127.0.0.1, ::1 or localhost.',
    field: 'localhost',
  },
  'legacy-browsers': {
    name: 'Filter out errors from legacy browsers',
    description:
      'Old browsers report less precise data, and their errors are often impossible to act on.',
    field: 'legacyBrowsers',
  },
  'web-crawlers': {
    name: 'Filter out known web crawlers',
    description: 'Crawlers run pages in ways real users do not, causing errors no user sees.',
    field: 'webCrawlers',
  },
  'filtered-transaction': {
    name: 'Filter out health-check transactions',
    description:
      'Drops transactions named like common health, liveness, readiness and ping endpoints.',
    field: 'filteredTransaction',
  },
};

const updateSchema = z.object({
  active: z.boolean().optional(),
  subfilters: z.array(z.string()).optional(),
});

function isFilterId(value: string): value is FilterId {
  return (FILTER_IDS as readonly string[]).includes(value);
}

export function serializeFilters(settings: FilterSettings): ProjectFilter[] {
  const filters = FILTER_IDS.map((id): ProjectFilter => {
    const spec = FILTER_SPECS[id];
    return {
      id,
      active: settings[spec.field],
      description: spec.description,
      name: spec.name,
      hello: `${id} - ${spec.name}`,
    };
  });
  return filters.sort((left, right) => left.name.localeCompare(right.name));
}

/**
 * Reads a filter update the way Sentry does: a boolean filter is set to `active`, and a missing
 * `active` switches it off. The legacy-browser filter takes `active` when given, otherwise the
 * listed sub-filters; an empty list switches it off.
 */
function parseUpdate(filterId: FilterId, body: unknown): Partial<FilterSettings> {
  const parsed = updateSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      (fields[issue.path.join('.') || 'non_field_errors'] ??= []).push(issue.message);
    }
    throw new ValidationError('Invalid filter update', fields);
  }

  const { active, subfilters } = parsed.data;
  const spec = FILTER_SPECS[filterId];
  if (spec.field !== 'legacyBrowsers') {
    return { [spec.field]: active ?? false };
  }

  const unknown = (subfilters ?? []).filter((value) => !isLegacyBrowserSubfilter(value));
  if (unknown.length > 0) {
    throw new ValidationError(
      `Unknown legacy-browser sub-filter ${JSON.stringify(unknown[0])}; use one of ${LEGACY_BROWSER_SUBFILTERS.join(', ')}`,
      { subfilters: unknown.map((value) => `"${value}" is not a valid choice.`) },
    );
  }
  if (active !== undefined) {
    return { legacyBrowsers: active };
  }
  const chosen = [...new Set(subfilters ?? [])].filter(isLegacyBrowserSubfilter).sort();
  return { legacyBrowsers: chosen.length > 0 ? chosen : false };
}

/** Registers the project filter endpoints in Sentry's paths and shapes, and the drop counts. */
export function registerFilterRoutes(app: FastifyInstance, options: FilterRoutesOptions): void {
  const { db, organizations } = options;

  app.get<{ Params: ProjectParams }>('/api/0/projects/:org/:project/filters/', async (request) => {
    const { project } = await resolveProject(request, organizations, request.params, READ_SCOPES);
    const settings = await readFilterSettings(db, [project.id]);
    return serializeFilters(settings.get(project.id) as FilterSettings);
  });

  app.put<{ Params: FilterParams }>(
    '/api/0/projects/:org/:project/filters/:filterId/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        WRITE_SCOPES,
      );
      const { filterId } = request.params;
      if (!isFilterId(filterId)) {
        throw new NotFoundError(`Filter ${JSON.stringify(filterId)} does not exist`);
      }

      await updateFilterSettings(db, project.id, parseUpdate(filterId, request.body));
      return reply.status(204).send();
    },
  );

  app.get<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/filters/stats/',
    async (request): Promise<FilterStats> => {
      const { project } = await resolveProject(request, organizations, request.params, READ_SCOPES);
      const since = Math.floor((Date.now() - STATS_PERIOD_MS) / 3_600_000) * 3_600_000;
      const counts = await countFilteredEvents(db, project.id, since);
      return { since: new Date(since).toISOString(), counts };
    },
  );
}
