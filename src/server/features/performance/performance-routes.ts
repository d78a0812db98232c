import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Trace, TraceSpan } from '../../../shared/api/performance.js';
import type { Database, Dialect } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import {
  listAccessibleProjects,
  resolveOrganization,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import {
  serializeTraceSpan,
  serializeTransactionEvent,
  serializeTransactionSummary,
  transactionRootSpan,
} from './performance-serializer.js';
import { readTraceId } from './trace-values.js';
import { TransactionRepository } from './transaction-repository.js';

export interface PerformanceRoutesOptions {
  organizations: OrganizationRepository;
  db: Kysely<Database>;
  dialect: Dialect;
}

const TRANSACTION_PAGE_SIZE = 50;
const MAX_QUERY_CHARS = 200;
/** Spans returned for one trace at most; a longer trace is marked as truncated. */
const MAX_TRACE_SPANS = 10_000;

function toList(value: unknown): string[] {
  if (value === undefined) {
    return [];
  }
  return (Array.isArray(value) ? value : [value]).map(String);
}

/** Lists the organization's projects, narrowed to those named by `project` parameters. */
async function selectProjects(
  request: FastifyRequest,
  organizations: OrganizationRepository,
  access: OrganizationAccess,
) {
  const projects = await listAccessibleProjects(organizations, access);
  const requested = toList((request.query as Record<string, unknown>).project).filter(
    (id) => id !== '-1',
  );
  return projects.filter(
    (project) => requested.length === 0 || requested.includes(String(project.id)),
  );
}

function readNameQuery(query: Record<string, unknown>): string | undefined {
  const text = query.query;
  if (text === undefined || text === '') {
    return undefined;
  }
  if (typeof text !== 'string' || text.length > MAX_QUERY_CHARS) {
    throw new ValidationError(`Invalid query: use a text of at most ${MAX_QUERY_CHARS} characters`);
  }
  return text.trim();
}

/**
 * Registers the transaction list and the trace view. Both need `event:read` in the
 * organization, and read only the organization's projects.
 */
export function registerPerformanceRoutes(
  app: FastifyInstance,
  options: PerformanceRoutesOptions,
): void {
  const { organizations } = options;
  const transactions = new TransactionRepository(options.db, options.dialect);

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/transactions/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const query = request.query as Record<string, unknown>;
      const page = readPage(query, TRANSACTION_PAGE_SIZE);
      const nameContains = readNameQuery(query);
      const projects = await selectProjects(request, organizations, access);
      const slugs = new Map(projects.map((project) => [project.id, project.slug]));

      const rows = await transactions.list({
        projectIds: projects.map((project) => project.id),
        nameContains,
        offset: page.offset,
        limit: page.limit,
      });
      setPageLinks(request, reply, page, rows.length > page.limit);

      return rows
        .slice(0, page.limit)
        .map((row) => serializeTransactionSummary(row, slugs.get(row.projectId) ?? ''));
    },
  );

  app.get<{ Params: { org: string; traceId: string } }>(
    '/api/0/organizations/:org/traces/:traceId/',
    async (request): Promise<Trace> => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        'event:read',
      );
      const traceId = readTraceId(request.params.traceId);
      if (traceId === undefined) {
        throw new ValidationError(
          `Invalid trace id ${JSON.stringify(request.params.traceId.slice(0, 64))}: use 32 hex digits`,
        );
      }

      const projects = await listAccessibleProjects(organizations, access);
      const projectIds = projects.map((project) => project.id);
      const slugs = new Map(projects.map((project) => [project.id, project.slug]));
      const transactionRows = await transactions.listByTrace(projectIds, traceId);
      const spanRows = await transactions.listSpansByTrace(
        projectIds,
        traceId,
        MAX_TRACE_SPANS + 1,
      );
      if (transactionRows.length === 0 && spanRows.length === 0) {
        throw new NotFoundError('Trace not found');
      }

      const slugOf = (projectId: number) => slugs.get(projectId) ?? '';
      const spans = spanRows
        .slice(0, MAX_TRACE_SPANS)
        .map((row) => serializeTraceSpan(row, slugOf(row.projectId)));
      const known = new Set(spans.map((span) => `${span.projectID}:${span.spanID}`));
      const roots: TraceSpan[] = transactionRows
        .filter((row) => !known.has(`${row.projectId}:${row.spanId}`))
        .map((row) => transactionRootSpan(row, slugOf(row.projectId)));

      return {
        traceID: traceId,
        transactions: transactionRows.map((row) =>
          serializeTransactionSummary(row, slugOf(row.projectId)),
        ),
        spans: [...roots, ...spans].sort((a, b) => a.startTimestamp - b.startTimestamp),
        isTruncated: spanRows.length > MAX_TRACE_SPANS,
      };
    },
  );
}

/** Finds a stored transaction of a project and returns it in Sentry's event shape. */
export type TransactionEventLookup = (
  projectId: number,
  eventId: string,
) => Promise<Record<string, unknown> | undefined>;

/** Creates the lookup that the project event endpoint uses for transaction event ids. */
export function createTransactionEventLookup(
  db: Kysely<Database>,
  dialect: Dialect,
): TransactionEventLookup {
  const transactions = new TransactionRepository(db, dialect);

  return async (projectId, eventId) => {
    const row = await transactions.findByEventId(projectId, eventId);
    if (row === undefined) {
      return undefined;
    }

    const segmentSpans = await transactions.listSegmentSpans(projectId, row.traceId, row.spanId);
    return serializeTransactionEvent(row, segmentSpans);
  };
}
