import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Scope } from '../accounts/scopes.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
  type OrganizationRepository,
} from '../organizations/index.js';
import type { ReleaseRecord, ReleaseRepository } from './release-repository.js';
import { serializeCommit, serializeDeploy } from './release-serializer.js';
import type {
  CommitInput,
  ReleaseChanges,
  ReleaseWriteRepository,
} from './release-write-repository.js';

export interface ReleaseWriteRoutesOptions {
  organizations: OrganizationRepository;
  releases: ReleaseRepository;
  writes: ReleaseWriteRepository;
  /** Serializes one release with its projects, health, commits and deploys. */
  present: (release: ReleaseRecord, request: FastifyRequest) => Promise<unknown>;
  /** Removes the blobs of a deleted release's files that no other file names. */
  deleteFileBlobs: (blobKeys: string[], request: FastifyRequest) => Promise<void>;
}

// Reads take any project scope or the release scope of sentry-cli. A token with only org:read
// gets 403, as on the release list.
const READ_SCOPES: readonly Scope[] = [
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
];
const WRITE_SCOPES: readonly Scope[] = ['project:write', 'project:releases'];
const DELETE_SCOPES: readonly Scope[] = ['project:admin', 'project:releases'];

/**
 * Sentry's version rules for the release API: not empty, not `.`, `..` or a single space, at
 * most 250 characters, and no slash, line break, tab or NUL.
 */
const versionSchema = z
  .string()
  .min(1, 'Release version must not be empty')
  .max(250, 'Release version must be at most 250 characters')
  .refine((value) => !/[/\n\r\t\f\v]/.test(value) && !value.includes('\u0000'), {
    error: 'Release version must not contain a slash, a line break, a tab or NUL',
  })
  .refine((value) => !['.', '..', ' '].includes(value), {
    error: 'Release version must not be ".", ".." or a space',
  });

const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'Must not contain NUL');
const date = z
  .string()
  .max(64)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'Must be an ISO 8601 date')
  .transform((value) => Date.parse(value));

const commitSchema = z.object({
  id: text(64).min(1),
  repository: text(200).nullish(),
  message: text(10_000).nullish(),
  author_name: text(200).nullish(),
  author_email: text(200).nullish(),
  timestamp: date.nullish(),
});

const refSchema = z.object({
  repository: text(200).min(1),
  commit: text(64).min(1),
  previousCommit: text(64).nullish(),
});

const changesShape = {
  ref: text(200).nullish(),
  url: text(2000).nullish(),
  dateReleased: date.nullish(),
  commits: z.array(commitSchema).max(10_000).optional(),
  refs: z.array(refSchema).max(100).optional(),
};

const createSchema = z.object({
  version: versionSchema,
  projects: z.array(text(50)).max(1000).optional(),
  ...changesShape,
});
const updateSchema = z.object(changesShape);

const deploySchema = z.object({
  environment: text(64).min(1),
  name: text(200).nullish(),
  url: text(2000).nullish(),
  dateStarted: date.nullish(),
  dateFinished: date.nullish(),
  projects: z.array(text(50)).max(1000).optional(),
});

function parse<T extends z.ZodType>(schema: T, body: unknown): z.output<T> {
  const result = schema.safeParse(body ?? {});
  if (!result.success) {
    const fields: Record<string, string[]> = {};
    for (const issue of result.error.issues) {
      const key = issue.path.join('.') || 'body';
      (fields[key] ??= []).push(issue.message);
    }
    const [first] = result.error.issues;
    const where = first === undefined || first.path.length === 0 ? '' : `${first.path.join('.')}: `;
    throw new ValidationError(`${where}${first?.message ?? 'Invalid body'}`, fields);
  }
  return result.data;
}

function pickChanges(body: z.infer<typeof updateSchema>): ReleaseChanges {
  const changes: ReleaseChanges = {};
  if (body.ref !== undefined) {
    changes.ref = body.ref;
  }
  if (body.url !== undefined) {
    changes.url = body.url;
  }
  if (body.dateReleased !== undefined) {
    changes.dateReleased = body.dateReleased;
  }
  return changes;
}

/**
 * Returns the commits of `commits`, or else one commit per entry of `refs`, which names only a
 * head commit. Picket has no repository integration to list the commits between
 * `previousCommit` and `commit`.
 */
function pickCommits(body: z.infer<typeof updateSchema>): CommitInput[] | undefined {
  if (body.commits !== undefined) {
    return body.commits.map((commit) => ({
      sha: commit.id,
      repository: commit.repository ?? null,
      message: commit.message ?? null,
      authorName: commit.author_name ?? null,
      authorEmail: commit.author_email ?? null,
      timestamp: commit.timestamp ?? null,
    }));
  }
  if (body.refs !== undefined) {
    return body.refs.map((ref) => ({
      sha: ref.commit,
      repository: ref.repository,
      message: null,
      authorName: null,
      authorEmail: null,
      timestamp: null,
    }));
  }
  return undefined;
}

type OrgParams = { org: string };
type ProjectParams = { org: string; project: string };
type VersionParams = { org: string; version: string; project?: string };

/** Release writes under Sentry's paths: create, update, delete, deploys and commits. */
export function registerReleaseWriteRoutes(
  app: FastifyInstance,
  options: ReleaseWriteRoutesOptions,
): void {
  const { organizations, releases, writes, present, deleteFileBlobs } = options;

  async function projectIdsFor(access: OrganizationAccess, slugs: string[]): Promise<number[]> {
    const ids: number[] = [];
    for (const slug of new Set(slugs)) {
      const project = await organizations.findProject(access.organization.id, slug);
      if (project === undefined) {
        throw new ValidationError(`Invalid project ids or slugs: ${JSON.stringify(slug)}`, {
          projects: ['Invalid project ids or slugs'],
        });
      }
      ids.push(project.id);
    }
    return ids;
  }

  /** Resolves the organization, and the project in the project form of a path. */
  async function access(
    request: FastifyRequest<{ Params: VersionParams }>,
    scopes: readonly Scope[],
  ) {
    const { org, project } = request.params;
    if (project === undefined) {
      return { access: await resolveOrganization(request, organizations, org, scopes) };
    }
    const resolved = await resolveProject(request, organizations, { org, project }, scopes);
    return { access: resolved.access, projectId: resolved.project.id };
  }

  async function loadRelease(
    request: FastifyRequest<{ Params: VersionParams }>,
    scopes: readonly Scope[],
  ) {
    const resolved = await access(request, scopes);
    const version = request.params.version;
    const release = await releases.findByVersion(resolved.access.organization.id, version);
    const notFound = () =>
      new NotFoundError(`Release ${JSON.stringify(version.slice(0, 200))} not found`);
    if (release === undefined) {
      throw notFound();
    }
    if (resolved.projectId !== undefined) {
      const projects = await releases.listProjects([release.id]);
      if (!projects.some((project) => project.projectId === resolved.projectId)) {
        throw notFound();
      }
    }
    return { ...resolved, release };
  }

  async function create(
    request: FastifyRequest,
    reply: FastifyReply,
    resolved: OrganizationAccess,
    projectIds: number[],
  ) {
    const body = parse(createSchema, request.body);
    const ids = [
      ...new Set([...projectIds, ...(await projectIdsFor(resolved, body.projects ?? []))]),
    ];
    if (ids.length === 0) {
      throw new ValidationError('projects: Name at least one project', {
        projects: ['Name at least one project'],
      });
    }
    const { release, created } = await writes.createOrAddProjects(
      resolved.organization.id,
      body.version,
      ids,
      pickChanges(body),
    );
    if (!created) {
      await writes.update(release.id, pickChanges(body));
    }
    const commits = pickCommits(body);
    if (commits !== undefined) {
      await writes.setCommits(release.id, commits);
    }
    const stored =
      (await releases.findByVersion(resolved.organization.id, body.version)) ?? release;
    return reply.code(created ? 201 : 208).send(await present(stored, request));
  }

  app.post<{ Params: OrgParams }>('/api/0/organizations/:org/releases/', async (request, reply) => {
    const resolved = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      WRITE_SCOPES,
    );
    return create(request, reply, resolved, []);
  });

  app.post<{ Params: ProjectParams }>(
    '/api/0/projects/:org/:project/releases/',
    async (request, reply) => {
      const resolved = await resolveProject(request, organizations, request.params, WRITE_SCOPES);
      return create(request, reply, resolved.access, [resolved.project.id]);
    },
  );

  for (const prefix of [
    '/api/0/organizations/:org/releases/:version/',
    '/api/0/projects/:org/:project/releases/:version/',
  ]) {
    if (prefix.startsWith('/api/0/projects/')) {
      app.get<{ Params: VersionParams }>(prefix, async (request) => {
        const { release } = await loadRelease(request, READ_SCOPES);
        return present(release, request);
      });
    }

    app.put<{ Params: VersionParams }>(prefix, async (request) => {
      const { release } = await loadRelease(request, WRITE_SCOPES);
      const body = parse(updateSchema, request.body);
      await writes.update(release.id, pickChanges(body));
      const commits = pickCommits(body);
      if (commits !== undefined) {
        await writes.setCommits(release.id, commits);
      }
      const stored =
        (await releases.findByVersion(release.organizationId, release.version)) ?? release;
      return present(stored, request);
    });

    app.delete<{ Params: VersionParams }>(prefix, async (request, reply) => {
      const { release } = await loadRelease(request, DELETE_SCOPES);
      if (release.firstEvent !== null || release.lastEvent !== null) {
        throw new ValidationError(
          'This release is in use and cannot be removed. Delete its events first.',
        );
      }
      await deleteFileBlobs(await writes.delete(release.id), request);
      return reply.code(204).send();
    });

    app.get<{ Params: VersionParams }>(`${prefix}commits/`, async (request) => {
      const { release } = await loadRelease(request, READ_SCOPES);
      const commits = await writes.listCommits([release.id]);
      return commits.map((commit) => serializeCommit(commit, release));
    });
  }

  app.get<{ Params: VersionParams }>(
    '/api/0/organizations/:org/releases/:version/deploys/',
    async (request) => {
      const { release } = await loadRelease(request, READ_SCOPES);
      const deploys = await writes.listDeploys([release.id]);
      return deploys.map(serializeDeploy);
    },
  );

  app.post<{ Params: VersionParams }>(
    '/api/0/organizations/:org/releases/:version/deploys/',
    async (request, reply) => {
      const { access: resolved, release } = await loadRelease(request, WRITE_SCOPES);
      const body = parse(deploySchema, request.body);
      const releaseProjects = (await releases.listProjects([release.id])).map((p) => p.projectId);
      let projectIds = releaseProjects;
      if (body.projects !== undefined && body.projects.length > 0) {
        projectIds = await projectIdsFor(resolved, body.projects);
        const outside = projectIds.filter((id) => !releaseProjects.includes(id));
        if (outside.length > 0) {
          throw new ValidationError('projects: Every project must belong to the release', {
            projects: ['Every project must belong to the release'],
          });
        }
      }
      const deploy = await writes.addDeploy(release.id, {
        environment: body.environment,
        name: body.name ?? null,
        url: body.url ?? null,
        dateStarted: body.dateStarted ?? null,
        dateFinished: body.dateFinished ?? Date.now(),
        projectIds,
      });
      return reply.code(201).send(serializeDeploy(deploy));
    },
  );
}
