import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import { RULE_CATALOG } from '../../../shared/api/alerts.js';
import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, AuthError, NotFoundError } from '../../platform/errors.js';
import { OutboundAllowList } from '../../platform/outbound/allow-list.js';
import type { AccountContext } from '../accounts/index.js';
import type { Scope } from '../accounts/scopes.js';
import { recordAudit } from '../audit/index.js';
import {
  canAccessProject,
  listAccessibleProjects,
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import {
  listGroupHistory,
  listIssueFirings,
  listRuleDeliveries,
  readPeriod,
} from './rule-history.js';
import type { RuleRecord, RuleRepository } from './rule-repository.js';
import { sendRuleTest } from './rule-test-send.js';
import { previewRule } from './rule-preview.js';
import { parsePreviewInput, parseRuleInput } from './rule-validation.js';
import { presentIssues } from '../issues/issue-presenter.js';
import type { IssueRepository } from '../issues/issue-repository.js';
import { paginateList, requestOrigin } from '../../platform/http/pagination.js';
import { describeTarget } from '../notifications/deliveries.js';
import { notificationBaseUrl } from '../notifications/links.js';

export interface RuleRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  rules: RuleRepository;
  issues: IssueRepository;
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'tls' | 'outboundAllow'>;
  /** Counts test sends per project, shared by every process on the database. */
  throttle: AccountContext['throttle'];
}

/**
 * Test sends per project per minute, so that the button cannot flood a webhook receiver or a
 * mailbox, however many rules point at it.
 */
export const TEST_SEND_LIMIT = { limit: 10, windowMs: 60_000 } as const;

export const READ_SCOPES: readonly Scope[] = ['project:read', 'alerts:read'];
export const WRITE_SCOPES: readonly Scope[] = ['project:write', 'alerts:write'];

type ProjectParams = { org: string; project: string };
type RuleParams = ProjectParams & { ruleId: string };

/**
 * What the audit log keeps of a rule: everything but webhook secrets, with action URLs cut to
 * scheme, host and first path segment because Slack, Discord and Teams URLs carry a token.
 */
function auditView(rule: RuleRecord | ReturnType<typeof parseRuleInput>) {
  return {
    name: rule.name,
    environment: rule.environment,
    actionMatch: rule.actionMatch,
    filterMatch: rule.filterMatch,
    frequency: rule.frequency,
    conditions: rule.conditions,
    filters: rule.filters,
    actions: rule.actions.map(({ secret: _secret, ...action }) =>
      typeof action.url === 'string'
        ? { ...action, url: describeTarget('webhook', action.url) }
        : action,
    ),
    status: rule.status,
  };
}

/**
 * Sentry's issue alert rule API on a project (`/api/0/projects/{org}/{project}/rules/`), the
 * catalog (`configuration/`) and the organization's `combined-rules/` list.
 */
export function registerRuleRoutes(app: FastifyInstance, options: RuleRoutesOptions): void {
  const { organizations, rules, db } = options;
  const outboundAllow = new OutboundAllowList(options.config.outboundAllow);

  const findRule = async (
    request: FastifyRequest<{ Params: RuleParams }>,
    scope: readonly Scope[],
  ) => {
    const resolved = await resolveProject(request, organizations, request.params, scope);
    const rule = await rules.find(resolved.project.id, request.params.ruleId);
    if (rule === undefined) {
      throw new NotFoundError('Rule not found');
    }
    return { ...resolved, rule };
  };

  // Readers see rules without webhook secrets and hook URL tokens (see `serialize`).
  const canWrite = (resolve: () => Promise<unknown>) =>
    resolve().then(
      () => true,
      (error: unknown) => {
        if (error instanceof AuthError) {
          return false;
        }
        throw error;
      },
    );
  const canWriteProject = (request: FastifyRequest<{ Params: ProjectParams }>) =>
    canWrite(() => resolveProject(request, organizations, request.params, WRITE_SCOPES));

  app.get<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/rules/configuration/',
    async (request) => {
      await resolveProject(request, organizations, request.params, READ_SCOPES);
      return RULE_CATALOG;
    },
  );

  app.get<{ Params: ProjectParams }>('/api/0/projects/:org/:project/rules/', async (request) => {
    const { project } = await resolveProject(request, organizations, request.params, READ_SCOPES);
    const view = { canWrite: await canWriteProject(request) };
    return (await rules.list([project.id])).map((rule) => rules.serialize(rule, view));
  });

  app.post<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/rules/',
    async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        WRITE_SCOPES,
      );
      const input = parseRuleInput(request.body, {
        ...(await rules.loadTargets(access.organization.id)),
        outboundAllow,
      });
      const id = await rules.create(
        project.id,
        input,
        access.role === 'org-token' ? null : access.userId,
      );
      await recordAudit(db, request, {
        organizationId: access.organization.id,
        event: 'rule.add',
        targetType: 'rule',
        targetId: id,
        data: { project: project.slug, rule: auditView(input) },
      });
      const created = await rules.find(project.id, String(id));
      return reply
        .status(201)
        .send(created === undefined ? undefined : rules.serialize(created, { canWrite: true }));
    },
  );

  app.post<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/rules/preview/',
    async (request, reply) => {
      // A POST that lists issues, so as in Sentry it takes the write scopes: a read-only token
      // without event:read must not read issue titles through it.
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        WRITE_SCOPES,
      );
      const ids = await previewRule(db, project.id, parsePreviewInput(request.body));
      reply.header('X-Hits', String(ids.length));
      const records = [];
      for (const id of paginateList(request, reply, ids)) {
        const record = await options.issues.findById(id);
        if (record !== undefined) {
          records.push(record);
        }
      }
      return presentIssues(db, records, {
        baseUrl: options.config.publicUrl ?? requestOrigin(request),
        orgSlug: access.organization.slug,
        userId: access.userId,
      });
    },
  );

  app.get<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/',
    async (request) => {
      const { rule } = await findRule(request, READ_SCOPES);
      return rules.serialize(rule, { canWrite: await canWriteProject(request) });
    },
  );

  app.put<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/',
    async (request) => {
      const { access, project, rule } = await findRule(request, WRITE_SCOPES);
      const input = parseRuleInput(request.body, {
        ...(await rules.loadTargets(access.organization.id)),
        outboundAllow,
      });
      await rules.update(rule, input);
      await recordAudit(db, request, {
        organizationId: access.organization.id,
        event: 'rule.edit',
        targetType: 'rule',
        targetId: rule.id,
        data: { project: project.slug, before: auditView(rule), after: auditView(input) },
      });
      const updated = await rules.find(project.id, String(rule.id));
      return updated === undefined ? undefined : rules.serialize(updated, { canWrite: true });
    },
  );

  app.delete<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/',
    async (request, reply) => {
      const { access, project, rule } = await findRule(request, WRITE_SCOPES);
      await rules.delete(rule.id);
      await recordAudit(db, request, {
        organizationId: access.organization.id,
        event: 'rule.remove',
        targetType: 'rule',
        targetId: rule.id,
        data: { project: project.slug, rule: auditView(rule) },
      });
      return reply.status(202).send();
    },
  );

  app.get<{ Params: { org: string } }>(
    '/api/0/organizations/:org/combined-rules/',
    async (request) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        READ_SCOPES,
      );
      const projects = await listAccessibleProjects(organizations, access);
      const query = request.query as Record<string, unknown>;
      const wanted = [query.project ?? []]
        .flat()
        .map(String)
        .filter((id) => id !== '-1');
      const ids = projects
        .filter((project) => wanted.length === 0 || wanted.includes(String(project.id)))
        .map((project) => project.id);
      const view = {
        canWrite: await canWrite(() =>
          resolveOrganization(request, organizations, request.params.org, WRITE_SCOPES),
        ),
      };
      return (await rules.list(ids)).map((rule) => ({
        ...rules.serialize(rule, view),
        type: 'rule',
      }));
    },
  );

  app.get<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/group-history/',
    async (request) => {
      const { rule } = await findRule(request, READ_SCOPES);
      return listGroupHistory(db, rule.id, readPeriod(request.query as Record<string, unknown>));
    },
  );

  app.get<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/picket-deliveries/',
    async (request) => {
      const { rule } = await findRule(request, READ_SCOPES);
      return listRuleDeliveries(db, rule.id);
    },
  );

  app.post<{ Params: RuleParams }>(
    '/api/0/projects/:org/:project/rules/:ruleId/picket-test/',
    async (request, reply) => {
      const { access, project, rule } = await findRule(request, WRITE_SCOPES);
      const counted = await options.throttle.hit({
        key: `rule-test:project:${project.id}`,
        ...TEST_SEND_LIMIT,
      });
      if (!counted.allowed) {
        throw new AppError(
          429,
          'rate_limited',
          `Too many test sends: at most ${TEST_SEND_LIMIT.limit} a minute per project, try again later`,
          { headers: { 'Retry-After': String(counted.retryAfterSeconds) } },
        );
      }
      const deliveries = await sendRuleTest(db, rule, {
        organizationId: access.organization.id,
        organizationSlug: access.organization.slug,
        projectName: project.name,
        baseUrl: notificationBaseUrl(options.config),
        callerUserId: access.userId,
      });
      return reply.status(202).send(deliveries);
    },
  );

  for (const prefix of ['/api/0/organizations/:org/issues/:issueId', '/api/0/issues/:issueId']) {
    app.get<{ Params: { org?: string; issueId: string } }>(
      `${prefix}/picket-alerts/`,
      async (request) => {
        const { org, issueId } = request.params;
        const issue = /^\d{1,15}$/.test(issueId)
          ? await db
              .selectFrom('issues')
              .innerJoin('projects', 'projects.id', 'issues.projectId')
              .select(['issues.id', 'issues.projectId', 'projects.organizationId'])
              .where('issues.id', '=', Number(issueId))
              .executeTakeFirst()
          : undefined;
        if (issue === undefined) {
          throw new NotFoundError('Issue not found');
        }
        // Another organization's issue reads as missing, so ids do not leak.
        const access = await resolveOrganization(
          request,
          organizations,
          org ?? String(issue.organizationId),
          ['event:read', ...READ_SCOPES],
        ).catch((error: unknown) => {
          throw error instanceof NotFoundError ? new NotFoundError('Issue not found') : error;
        });
        if (
          access.organization.id !== Number(issue.organizationId) ||
          !(await canAccessProject(organizations, access, Number(issue.projectId)))
        ) {
          throw new NotFoundError('Issue not found');
        }
        return listIssueFirings(db, Number(issue.id));
      },
    );
  }
}
