import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { Issue } from '../../../shared/api/issues.js';
import { AppError, AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, requestOrigin, setPageLinks } from '../../platform/http/pagination.js';
import type { AttachmentRepository } from '../attachments/index.js';
import { serializeAttachment } from '../attachments/index.js';
import { parseDsn } from '../ingest/auth.js';
import {
  announceRateLimits,
  sendRateLimited,
  type IngestAdmission,
  type IngestGate,
} from '../ingest/ingest-gate.js';
import type { IssueRepository } from '../issues/index.js';
import { serializeIssue } from '../issues/index.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
  type ProjectRecord,
} from '../organizations/index.js';
import { parseUserReport } from './feedback-input.js';
import type { FeedbackRecord, FeedbackRepository } from './feedback-repository.js';
import { serializeFeedback } from './feedback-serializer.js';

export interface FeedbackRoutesOptions {
  organizations: OrganizationRepository;
  feedback: FeedbackRepository;
  issues: IssueRepository;
  attachments: AttachmentRepository;
  publicUrl: string | undefined;
  /** Checks reports sent with `Authorization: DSN` as ingest checks what the key sends. */
  gate: IngestGate;
}

type ProjectParams = { org: string; project: string };
type IssueParams = { org?: string; issueId: string };

// Sentry's limits for the user report API.
const reportSchema = z.object({
  event_id: z.string().regex(/^[0-9a-fA-F]{32}$|^[0-9a-fA-F-]{36}$/, 'must be 32 hex digits'),
  name: z.string().trim().min(1).max(128),
  email: z.email().max(75),
  comments: z.string().trim().min(1).max(4096),
});

/**
 * User feedback under Sentry's paths: a project's feedback (`user-feedback/`, alias
 * `user-reports/`), legacy report submission with a token or `Authorization: DSN <dsn>`, and
 * the feedback of one issue.
 */
export function registerFeedbackRoutes(app: FastifyInstance, options: FeedbackRoutesOptions): void {
  const { organizations, feedback, issues, attachments } = options;

  async function present(request: FastifyRequest, orgSlug: string, rows: FeedbackRecord[]) {
    const baseUrl = options.publicUrl ?? requestOrigin(request);
    const issueIds = [
      ...new Set(rows.flatMap((row) => (row.issueId === null ? [] : [row.issueId]))),
    ];
    const issueRecords = await Promise.all(issueIds.map((id) => issues.findById(Number(id))));
    const issueById = new Map(
      issueRecords.flatMap((issue) =>
        // The serializer types `status` as a string; it writes only Sentry's statuses.
        issue === undefined
          ? []
          : [[issue.id, serializeIssue(issue, { baseUrl, orgSlug }) as Issue]],
      ),
    );
    const files = await listScreenshots(attachments, rows);

    return rows.map((row) =>
      serializeFeedback(row, {
        issue: row.issueId === null ? null : (issueById.get(Number(row.issueId)) ?? null),
        attachments: files.get(row.id) ?? [],
      }),
    );
  }

  for (const alias of ['user-feedback', 'user-reports']) {
    const path = `/api/0/projects/:org/:project/${alias}/`;

    app.get<{ Params: ProjectParams }>(path, async (request, reply) => {
      const { access, project } = await resolveProject(
        request,
        organizations,
        request.params,
        'event:read',
      );
      const query = request.query as Record<string, unknown>;
      const status = query.status ?? 'unresolved';
      if (status !== 'unresolved' && status !== '') {
        throw new ValidationError('Invalid status choice', { status: ['Invalid status choice'] });
      }

      const page = readPage(query);
      const rows = await feedback.listByProject(project.id, page, status === 'unresolved');
      setPageLinks(request, reply, page, rows.length > page.limit);
      return present(request, access.organization.slug, rows.slice(0, page.limit));
    });

    app.post<{ Params: ProjectParams }>(path, async (request, reply) => {
      const dsnProject = await authorizeDsn(request, organizations);
      const { project, orgSlug } =
        dsnProject ?? (await resolveTokenProject(request, organizations));
      const admission =
        dsnProject === undefined
          ? undefined
          : await admitDsnReport(request, dsnProject.publicKey, project.id);

      const body = readReport(request.body);
      const parsed = parseUserReport(body, undefined, Date.now());
      if (!parsed.ok) {
        throw new ValidationError(parsed.message);
      }
      if (admission !== undefined) {
        // A legacy user report counts as `default`, the category SDKs give `user_report` items.
        const { decision, limit } = await admission.limitCategory('default', 1);
        announceRateLimits(reply, decision, limit === undefined ? [] : [limit]);
        if (limit !== undefined) {
          return sendRateLimited(reply);
        }
      }
      const saved = await feedback.save(project.id, parsed.feedback);
      if (saved.outcome === 'conflict') {
        throw new AppError(
          409,
          'conflict',
          'Feedback for this event cannot be modified: it was sent more than 5 minutes ago',
        );
      }

      if (dsnProject !== undefined) {
        return reply.status(200).send();
      }
      const row = saved.id === undefined ? undefined : await feedback.findById(saved.id);
      if (row === undefined) {
        throw new NotFoundError('Feedback not found');
      }
      const [presented] = await present(request, orgSlug, [row]);
      return presented;
    });
  }

  for (const prefix of ['/api/0/organizations/:org/issues/:issueId', '/api/0/issues/:issueId']) {
    app.get<{ Params: IssueParams }>(`${prefix}/user-reports/`, async (request, reply) => {
      const { org, issueId } = request.params;
      const issue = /^\d{1,15}$/.test(issueId) ? await issues.findById(Number(issueId)) : undefined;
      if (issue === undefined) {
        throw new NotFoundError('Issue not found');
      }

      const organizationId = await organizations.findOrganizationIdOfProject(issue.projectId);
      const access = await resolveOrganization(
        request,
        organizations,
        org ?? String(organizationId ?? ''),
        'event:read',
      );
      const project = await organizations.findProject(
        access.organization.id,
        String(issue.projectId),
      );
      if (project === undefined) {
        throw new NotFoundError('Issue not found');
      }

      const page = readPage(request.query as Record<string, unknown>);
      const rows = await feedback.listByIssue(project.id, issue.id, page);
      setPageLinks(request, reply, page, rows.length > page.limit);
      return present(request, access.organization.slug, rows.slice(0, page.limit));
    });
  }

  /**
   * Applies the ingest checks of the DSN key to a report: allowed domains, back-pressure and,
   * through the returned admission, the key's rate limits.
   */
  function admitDsnReport(
    request: FastifyRequest,
    publicKey: string,
    projectId: number,
  ): Promise<IngestAdmission> {
    return options.gate.admit(request, {
      pathProjectId: projectId,
      auth: { publicKey, projectId: undefined, sentryVersion: 7, client: undefined },
      quantities: new Map([['default', 1]]),
    });
  }

  async function resolveTokenProject(
    request: FastifyRequest<{ Params: ProjectParams }>,
    repository: OrganizationRepository,
  ) {
    const { access, project } = await resolveProject(
      request,
      repository,
      request.params,
      'project:write',
    );
    return { project, orgSlug: access.organization.slug };
  }
}

/**
 * Authenticates `Authorization: DSN <dsn>`. Returns undefined when the request uses another
 * scheme. The DSN's key must be active and belong to the project in the path.
 * @throws AuthError 401 for an unknown or disabled key, or a key of another project.
 */
async function authorizeDsn(
  request: FastifyRequest<{ Params: ProjectParams }>,
  organizations: OrganizationRepository,
): Promise<{ project: ProjectRecord; orgSlug: string; publicKey: string } | undefined> {
  const match = /^dsn\s+(\S+)$/i.exec(request.headers.authorization ?? '');
  if (match?.[1] === undefined) {
    return undefined;
  }

  const { publicKey } = parseDsn(match[1]);
  const key = await organizations.findActiveKey(publicKey);
  if (key === undefined || Number(key.isActive) !== 1) {
    throw new AuthError(401, 'Unknown or disabled DSN public key');
  }

  const organization = await organizations.findBySlugOrId(request.params.org);
  const project =
    organization === undefined
      ? undefined
      : await organizations.findProject(organization.id, request.params.project);
  if (organization === undefined || project === undefined) {
    throw new NotFoundError('Project not found');
  }
  if (Number(key.projectId) !== project.id) {
    throw new AuthError(401, 'The DSN does not belong to this project');
  }
  return { project, orgSlug: organization.slug, publicKey };
}

function readReport(body: unknown) {
  const parsed = reportSchema.safeParse(body ?? {});
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const name = issue.path.join('.') || 'body';
      (fields[name] ??= []).push(issue.message);
    }
    throw new ValidationError(
      'Invalid user feedback: send event_id, name, email and comments',
      fields,
    );
  }
  return parsed.data;
}

/** Returns the attachments sent with each feedback event, keyed by feedback row id. */
async function listScreenshots(attachments: AttachmentRepository, rows: FeedbackRecord[]) {
  const byProject = new Map<number, FeedbackRecord[]>();
  for (const row of rows.filter((candidate) => candidate.kind === 'feedback')) {
    const projectRows = byProject.get(row.projectId) ?? [];
    projectRows.push(row);
    byProject.set(row.projectId, projectRows);
  }

  const files = new Map<number, ReturnType<typeof serializeAttachment>[]>();
  for (const [projectId, projectRows] of byProject) {
    const found = await attachments.listByEvents(
      projectId,
      projectRows.map((row) => row.feedbackEventId),
    );
    for (const row of projectRows) {
      files.set(
        row.id,
        found
          .filter((attachment) => attachment.eventId === row.feedbackEventId)
          .map(serializeAttachment),
      );
    }
  }
  return files;
}
