import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { AppError, AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { paginateList, requestOrigin } from '../../platform/http/pagination.js';
import { requireAuth } from '../accounts/request-auth.js';
import { recordAudit } from '../audit/index.js';
import {
  isReservedOrganizationSlug,
  isValidSlug,
  resolveOrganization,
  resolveProject,
  slugify,
} from './access.js';
import type { OrganizationRepository } from './organization-repository.js';
import { listAccessibleProjects } from './project-access.js';
import type { ProjectFieldsStore, ProjectOptionsStore } from './project-options.js';
import { registerProjectUpdateRoute } from './project-update-route.js';
import { registerProjectKeyRoutes } from './project-key-routes.js';
import {
  serializeOrganization,
  serializeProject,
  serializeProjectKey,
  serializeTeam,
} from './serializers.js';

export interface OrganizationRoutesOptions {
  /** Database that the audit log is written to. */
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  publicUrl: string | undefined;
  /** Options that the project details endpoint returns and accepts, kept by other features. */
  projectOptions?: ProjectOptionsStore;
  /** Top-level project fields of other features, such as the grouping rules. */
  projectFields?: ProjectFieldsStore;
  /** Called after a DSN key changed, so that ingest drops its cached copy at once. */
  onKeysChanged?: () => void;
}

const createSchema = z.object({
  name: z.string().trim().min(1).max(64),
  slug: z.string().trim().max(50).optional(),
  platform: z.string().trim().max(64).nullish(),
});

type OrgParams = { org: string };
type TeamParams = { org: string; team: string };
type ProjectParams = { org: string; project: string };

function parseCreate(body: unknown) {
  const parsed = createSchema.safeParse(body);
  if (!parsed.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of parsed.error.issues) {
      const key = issue.path.join('.') || 'non_field_errors';
      (fields[key] ??= []).push(issue.message);
    }
    throw new ValidationError('Invalid request body', fields);
  }

  const slug =
    parsed.data.slug === undefined || parsed.data.slug === ''
      ? slugify(parsed.data.name)
      : parsed.data.slug;
  if (!isValidSlug(slug)) {
    throw new ValidationError(
      `Invalid slug ${JSON.stringify(slug)}: use lower-case letters, digits, - and _`,
      {
        slug: [
          'Enter a valid slug consisting of lowercase letters, numbers, underscores or hyphens.',
        ],
      },
    );
  }

  return { name: parsed.data.name, slug, platform: parsed.data.platform ?? null };
}

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: string }).code;
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}

async function insertUnique<T>(what: string, slug: string, insert: () => Promise<T>): Promise<T> {
  try {
    return await insert();
  } catch (error) {
    if (isUniqueViolation(error)) {
      const article = /^[aeiou]/.test(what) ? 'An' : 'A';
      throw new AppError(
        409,
        'conflict',
        `${article} ${what} with the slug "${slug}" already exists`,
      );
    }
    throw error;
  }
}

/** Organizations, teams, projects and project keys, in Sentry's paths and shapes. */
export function registerOrganizationRoutes(
  app: FastifyInstance,
  options: OrganizationRoutesOptions,
) {
  const { organizations } = options;
  const baseUrl = (request: FastifyRequest) => options.publicUrl ?? requestOrigin(request);

  app.get('/api/0/organizations/', async (request, reply) => {
    const auth = requireAuth(request);
    const canRead = auth.tokenScopes?.has('org:read') === true || auth.tokenScopes?.has('org:ci');
    if (auth.tokenScopes !== undefined && canRead !== true) {
      throw new AuthError(
        403,
        'You do not have permission to perform this action (needs org:read)',
      );
    }
    // An organization token lists only its own organization.
    const all = (await organizations.listForUser(auth.user.id)).filter(
      (organization) =>
        auth.tokenOrganizationId === undefined || organization.id === auth.tokenOrganizationId,
    );
    const slice = paginateList(request, reply, all);
    return slice.map((organization) => serializeOrganization(organization));
  });

  app.post('/api/0/organizations/', async (request, reply) => {
    const auth = requireAuth(request);
    if (auth.tokenScopes !== undefined && !auth.tokenScopes.has('org:write')) {
      throw new AuthError(
        403,
        'You do not have permission to perform this action (needs org:write)',
      );
    }
    const input = parseCreate(request.body);
    if (isReservedOrganizationSlug(input.slug)) {
      throw new ValidationError(`The slug "${input.slug}" is reserved: choose another`, {
        slug: [`"${input.slug}" is used by Picket's own pages; choose another slug.`],
      });
    }
    const organization = await insertUnique('organization', input.slug, () =>
      organizations.createOrganization({
        slug: input.slug,
        name: input.name,
        ownerId: auth.user.id,
      }),
    );
    await recordAudit(options.db, request, {
      organizationId: organization.id,
      event: 'org.create',
      targetType: 'organization',
      targetId: organization.id,
      data: { slug: organization.slug, name: organization.name },
    });
    return reply.status(201).send(serializeOrganization(organization, 'owner'));
  });

  app.get<{ Params: OrgParams }>('/api/0/organizations/:org/', async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'org:read',
    );
    return serializeOrganization(access.organization, access.role);
  });

  app.get<{ Params: OrgParams }>('/api/0/organizations/:org/teams/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'team:read',
    );
    const teams = await organizations.listTeams(access.organization.id);
    const slice = paginateList(request, reply, teams);
    return Promise.all(
      slice.map(async (team) =>
        serializeTeam(team, { memberCount: await organizations.countTeamMembers(team.id) }),
      ),
    );
  });

  app.post<{ Params: OrgParams }>('/api/0/organizations/:org/teams/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'team:write',
    );
    const input = parseCreate(request.body);
    const memberId = access.memberId;
    const team = await insertUnique('team', input.slug, () =>
      organizations.createTeam({
        organizationId: access.organization.id,
        slug: input.slug,
        name: input.name,
        memberId,
      }),
    );
    await recordAudit(options.db, request, {
      organizationId: access.organization.id,
      event: 'team.create',
      targetType: 'team',
      targetId: team.id,
      data: { slug: team.slug, name: team.name },
    });
    return reply.status(201).send(serializeTeam(team, { memberCount: 1 }));
  });

  app.get<{ Params: OrgParams }>('/api/0/organizations/:org/projects/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'project:read',
    );
    const projects = await listAccessibleProjects(organizations, access);
    const slice = paginateList(request, reply, projects);
    return Promise.all(
      slice.map(async (project) =>
        serializeProject(
          project,
          access.organization,
          await organizations.listProjectTeams(project.id),
        ),
      ),
    );
  });

  app.get('/api/0/projects/', async (request, reply) => {
    const auth = requireAuth(request);
    if (auth.tokenScopes !== undefined && !auth.tokenScopes.has('project:read')) {
      throw new AuthError(
        403,
        'You do not have permission to perform this action (needs project:read)',
      );
    }
    const memberships = await organizations.listForUser(auth.user.id);
    const all = (
      await Promise.all(
        memberships.map(async (organization) => {
          const membership = await organizations.findMembership(organization.id, auth.user.id);
          const access = {
            organization,
            role: membership?.role ?? '',
            memberId: membership?.id ?? 0,
            userId: auth.user.id,
          };
          const projects = await listAccessibleProjects(organizations, access);
          return projects.map((project) => ({ project, organization }));
        }),
      )
    ).flat();
    const slice = paginateList(request, reply, all);
    return slice.map(({ project, organization }) => serializeProject(project, organization));
  });

  app.post<{ Params: TeamParams }>('/api/0/teams/:org/:team/projects/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'project:write',
    );
    const team = await organizations.findTeam(access.organization.id, request.params.team);
    if (team === undefined) {
      throw new NotFoundError('Team not found');
    }
    const input = parseCreate(request.body);
    const project = await insertUnique('project', input.slug, () =>
      organizations.createProject({
        organizationId: access.organization.id,
        teamId: team.id,
        slug: input.slug,
        name: input.name,
        platform: input.platform,
      }),
    );
    await recordAudit(options.db, request, {
      organizationId: access.organization.id,
      event: 'project.create',
      targetType: 'project',
      targetId: project.id,
      data: { slug: project.slug, name: project.name, team: team.slug },
    });
    return reply.status(201).send(serializeProject(project, access.organization, [team]));
  });

  app.get<{ Params: ProjectParams }>('/api/0/projects/:org/:project/', async (request) => {
    const { access, project } = await resolveProject(
      request,
      organizations,
      request.params,
      'project:read',
    );
    return serializeProject(
      project,
      access.organization,
      await organizations.listProjectTeams(project.id),
      options.projectOptions === undefined ? {} : await options.projectOptions.read(project.id),
      options.projectFields === undefined ? {} : await options.projectFields.read(project.id),
    );
  });

  registerProjectUpdateRoute(
    app,
    organizations,
    options.projectOptions,
    options.projectFields,
    options.db,
  );

  app.get<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/keys/',
    async (request, reply) => {
      const { project } = await resolveProject(
        request,
        organizations,
        request.params,
        'project:read',
      );
      const keys = await organizations.listKeys(project.id);
      const slice = paginateList(request, reply, keys);
      return slice.map((key) => serializeProjectKey(key, baseUrl(request)));
    },
  );

  registerProjectKeyRoutes(app, options);
}
