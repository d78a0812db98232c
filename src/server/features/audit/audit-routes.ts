import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { AuditLogPage } from '../../../shared/api/audit.js';
import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import { resolveOrganization } from '../organizations/access.js';
import type { OrganizationRepository } from '../organizations/organization-repository.js';
import { readTimeWindow } from '../search/time-window.js';
import { AUDIT_EVENTS } from './audit-log.js';

/**
 * Events an organization's log can hold. Account events (`user.*`) and personal tokens
 * (`api-key.*`) belong to no organization, so the filter does not offer them.
 */
const ORGANIZATION_EVENTS: string[] = AUDIT_EVENTS.filter(
  (event) => !event.startsWith('user.') && !event.startsWith('api-key.'),
);
import { streamCsv, streamJson } from './audit-export.js';
import { iterateAuditRows, listAuditRows, type AuditFilter } from './audit-query.js';

export interface AuditRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
}

const filterSchema = z.object({
  event: z.enum(AUDIT_EVENTS).optional(),
  actor: z
    .string()
    .regex(/^\d{1,15}$/, 'must be a user id')
    .transform(Number)
    .optional(),
  format: z.enum(['json', 'csv']).optional(),
});

type OrgParams = { org: string };

/**
 * Registers the organization audit log: `GET /api/0/organizations/{org}/audit-logs/` in Sentry's
 * shape (`{rows, options}`), filtered by `event`, `actor` (a user id) and a time range
 * (`start` and `end`, or `statsPeriod`), paged with Sentry's `cursor`. `?format=csv` and
 * `…/audit-logs/export/?format=csv|json` stream every matching row instead. Both need org:write,
 * as Sentry's audit log permission does.
 */
export function registerAuditRoutes(app: FastifyInstance, options: AuditRoutesOptions) {
  const readFilter = async (request: FastifyRequest<{ Params: OrgParams }>) => {
    const access = await resolveOrganization(
      request,
      options.organizations,
      request.params.org,
      'org:write',
    );
    const query = request.query as Record<string, unknown>;
    const parsed = filterSchema.safeParse({
      event: emptyToUndefined(query.event),
      actor: emptyToUndefined(query.actor),
      format: emptyToUndefined(query.format),
    });
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(
        `Invalid ${String(issue?.path[0] ?? 'query')}: ${issue?.message ?? 'unknown value'}`,
      );
    }
    const window = readTimeWindow(query);
    const filter: AuditFilter = {
      organizationId: access.organization.id,
      event: parsed.data.event,
      actorUserId: parsed.data.actor,
      start: window?.start,
      end: window?.end,
    };
    return { access, filter, format: parsed.data.format };
  };

  const sendExport = (
    reply: FastifyReply,
    format: 'csv' | 'json',
    slug: string,
    filter: AuditFilter,
  ) => {
    const rows = iterateAuditRows(options.db, filter);
    const day = new Date().toISOString().slice(0, 10);
    return reply
      .header('Cache-Control', 'no-store')
      .header('Content-Disposition', `attachment; filename="audit-log-${slug}-${day}.${format}"`)
      .type(format === 'csv' ? 'text/csv; charset=utf-8' : 'application/json; charset=utf-8')
      .send(format === 'csv' ? streamCsv(rows) : streamJson(rows));
  };

  app.get<{ Params: OrgParams }>(
    '/api/0/organizations/:org/audit-logs/',
    async (request, reply) => {
      const { access, filter, format } = await readFilter(request);
      if (format === 'csv') {
        return sendExport(reply, 'csv', access.organization.slug, filter);
      }
      const page = readPage(request.query as Record<string, unknown>);
      const { rows, hasMore } = await listAuditRows(options.db, filter, page);
      setPageLinks(request, reply, page, hasMore);
      const body: AuditLogPage = { rows, options: ORGANIZATION_EVENTS };
      return reply.header('Cache-Control', 'no-store').send(body);
    },
  );

  app.get<{ Params: OrgParams }>(
    '/api/0/organizations/:org/audit-logs/export/',
    async (request, reply) => {
      const { access, filter, format } = await readFilter(request);
      return sendExport(reply, format ?? 'csv', access.organization.slug, filter);
    },
  );
}

function emptyToUndefined(value: unknown): unknown {
  return value === '' ? undefined : value;
}
