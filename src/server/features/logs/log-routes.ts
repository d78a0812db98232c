import type { FastifyInstance } from 'fastify';

import { ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import {
  listAccessibleProjects,
  resolveOrganization,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import { LOG_LEVELS } from '../../../shared/api/logs.js';
import { isLogLevel } from './log-item.js';
import type { LogRepository } from './log-repository.js';
import { serializeLog } from './log-serializer.js';

export interface LogRoutesOptions {
  organizations: OrganizationRepository;
  logs: LogRepository;
}

/** Parsed filters of a log list request. */
export interface LogFilters {
  levels: string[];
  traceId: string | undefined;
  text: string | undefined;
  sinceUs: number | undefined;
}

const MAX_QUERY_LENGTH = 1_000;
const TRACE_ID = /^[0-9a-f]{32}$/;
const PERIOD_UNIT_MS: Record<string, number> = {
  s: 1_000,
  m: 60_000,
  h: 3_600_000,
  d: 86_400_000,
  w: 604_800_000,
};

/** Registers `GET /api/0/organizations/{org}/logs/`, which lists logs newest first. */
export function registerLogRoutes(app: FastifyInstance, options: LogRoutesOptions): void {
  const { organizations, logs } = options;

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/logs/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const query = request.query as Record<string, unknown>;
      const page = readPage(query);
      const filters = readLogFilters(query, Date.now());
      const projectIds = await selectProjectIds(organizations, access, query.project);

      const rows = await logs.list({ projectIds, ...filters, ...page });
      setPageLinks(request, reply, page, rows.length > page.limit);
      return rows.slice(0, page.limit).map(serializeLog);
    },
  );
}

/**
 * Reads `level` (repeated or comma-separated), `traceId`, `query` and `statsPeriod`.
 * @throws ValidationError naming the parameter and the value that is not valid.
 */
export function readLogFilters(query: Record<string, unknown>, nowMs: number): LogFilters {
  const levels = toList(query.level).flatMap((value) =>
    value.split(',').filter((level) => level !== ''),
  );
  const unknownLevel = levels.find((level) => !isLogLevel(level));
  if (unknownLevel !== undefined) {
    throw new ValidationError(
      `Invalid level ${JSON.stringify(unknownLevel)}: use ${LOG_LEVELS.join(', ')}`,
    );
  }

  const text = readSingle(query, 'query');
  if (text !== undefined && text.length > MAX_QUERY_LENGTH) {
    throw new ValidationError(
      `The query is longer than ${MAX_QUERY_LENGTH} characters: shorten the search text`,
    );
  }

  return {
    levels: [...new Set(levels)],
    traceId: readTraceId(readSingle(query, 'traceId')),
    text: text?.trim() === '' ? undefined : text?.trim(),
    sinceUs: readSince(readSingle(query, 'statsPeriod'), nowMs),
  };
}

function readTraceId(value: string | undefined): string | undefined {
  if (value === undefined || value === '') {
    return undefined;
  }

  const traceId = value.replaceAll('-', '').toLowerCase();
  if (!TRACE_ID.test(traceId)) {
    throw new ValidationError(
      `Invalid traceId ${JSON.stringify(value.slice(0, 64))}: use 32 hexadecimal digits`,
    );
  }
  return traceId;
}

function readSince(period: string | undefined, nowMs: number): number | undefined {
  if (period === undefined || period === '') {
    return undefined;
  }

  const match = /^(\d{1,6})([smhdw])$/.exec(period);
  const unitMs = match?.[2] === undefined ? undefined : PERIOD_UNIT_MS[match[2]];
  if (match?.[1] === undefined || unitMs === undefined) {
    throw new ValidationError(
      `Invalid statsPeriod ${JSON.stringify(period.slice(0, 40))}: use a number and a unit, as 24h or 14d`,
    );
  }
  return (nowMs - Number(match[1]) * unitMs) * 1_000;
}

/** Ids of the organization's projects named by `project` parameters, or all when none (or -1). */
async function selectProjectIds(
  organizations: OrganizationRepository,
  access: OrganizationAccess,
  value: unknown,
): Promise<number[]> {
  const requested = toList(value).filter((id) => id !== '-1');
  const invalid = requested.find((id) => !/^\d{1,15}$/.test(id));
  if (invalid !== undefined) {
    throw new ValidationError(`Invalid project ${JSON.stringify(invalid.slice(0, 40))}: use ids`);
  }

  const projects = await listAccessibleProjects(organizations, access);
  return projects
    .filter((project) => requested.length === 0 || requested.includes(String(project.id)))
    .map((project) => project.id);
}

function readSingle(query: Record<string, unknown>, name: string): string | undefined {
  const values = toList(query[name]);
  if (values.length > 1) {
    throw new ValidationError(`Send ${name} once, not ${values.length} times`);
  }
  return values[0];
}

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}
