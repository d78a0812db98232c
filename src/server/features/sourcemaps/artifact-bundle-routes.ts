import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import type { Scope } from '../accounts/scopes.js';
import { resolveProject, type OrganizationRepository } from '../organizations/index.js';
import { deleteUnreferencedBlobs } from './artifact-blobs.js';
import type { ArtifactBundleRepository } from './artifact-bundle-repository.js';
import { serializeArtifactBundle, serializeArtifactBundleFile } from './artifact-serializers.js';
import { normalizeDebugId } from './release-file-fields.js';

export interface ArtifactBundleRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  bundles: ArtifactBundleRepository;
  blobs: BlobStore;
}

// As Sentry's release permission, which guards these routes there too.
const READ_SCOPES: readonly Scope[] = [
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
];
const DELETE_SCOPES: readonly Scope[] = ['project:admin', 'project:releases'];

// Sentry returns 10 bundles per page unless `per_page` sets another size.
const DEFAULT_BUNDLES_PER_PAGE = 10;
const MAX_TEXT_LENGTH = 200;

type ProjectParams = { org: string; project: string };
type BundleParams = ProjectParams & { bundleId: string };

/**
 * Registers Sentry's artifact bundle routes of a project: the bundle list, the delete (by
 * `?bundleId=` as Sentry has it, or by a path segment) and the file list of one bundle.
 */
export function registerArtifactBundleRoutes(
  app: FastifyInstance,
  options: ArtifactBundleRoutesOptions,
): void {
  const { organizations, bundles } = options;

  async function list(request: FastifyRequest<{ Params: ProjectParams }>, reply: FastifyReply) {
    const { project } = await resolveProject(request, organizations, request.params, READ_SCOPES);
    const query = request.query as Record<string, unknown>;
    const page = readPage(query, DEFAULT_BUNDLES_PER_PAGE);
    const rows = await bundles.list(project.id, {
      text: readText(query.query),
      order: readOrder(query.sortBy),
      offset: page.offset,
      limit: page.limit,
    });

    setPageLinks(request, reply, page, rows.length > page.limit);
    return rows.slice(0, page.limit).map(serializeArtifactBundle);
  }

  async function remove(
    request: FastifyRequest<{ Params: ProjectParams }>,
    reply: FastifyReply,
    bundleId: unknown,
  ) {
    const { access, project } = await resolveProject(
      request,
      organizations,
      request.params,
      DELETE_SCOPES,
    );
    if (typeof bundleId !== 'string' || bundleId === '') {
      throw new NotFoundError('Missing bundle ID: pass it as ?bundleId=<id>');
    }

    const found = await bundles.findByBundleId(
      access.organization.id,
      project.id,
      bundleIdCandidates(bundleId),
    );
    const served = found.filter((bundle) => bundle.servesProject);
    if (served.length === 0) {
      throw new NotFoundError(
        `Artifact bundle ${JSON.stringify(bundleId.slice(0, 80))} not found in project ${JSON.stringify(project.slug)}`,
      );
    }

    const blobKeys = await bundles.detachFromProject(
      served.map((bundle) => bundle.id),
      project.id,
    );
    await deleteUnreferencedBlobs(options.db, options.blobs, blobKeys, request.log);
    request.log.info(
      { projectId: project.id, bundles: served.length, deletedFiles: blobKeys.length },
      'artifact bundle removed from project',
    );
    return reply.code(204).send();
  }

  async function listFiles(request: FastifyRequest<{ Params: BundleParams }>, reply: FastifyReply) {
    const { access, project } = await resolveProject(
      request,
      organizations,
      request.params,
      READ_SCOPES,
    );
    const { bundleId } = request.params;
    const found = await bundles.findByBundleId(
      access.organization.id,
      project.id,
      bundleIdCandidates(bundleId),
    );
    const bundle = found.find((candidate) => candidate.servesProject);
    if (bundle === undefined) {
      throw new NotFoundError(
        `Artifact bundle ${JSON.stringify(bundleId.slice(0, 80))} not found in project ${JSON.stringify(project.slug)}`,
      );
    }

    const query = request.query as Record<string, unknown>;
    const page = readPage(query);
    const rows = await bundles.listFiles(bundle.id, {
      text: readText(query.query),
      offset: page.offset,
      limit: page.limit,
    });
    setPageLinks(request, reply, page, rows.length > page.limit);
    return rows.slice(0, page.limit).map(serializeArtifactBundleFile);
  }

  const listPath = '/api/0/projects/:org/:project/files/artifact-bundles/';
  app.get<{ Params: ProjectParams }>(listPath, list);
  app.delete<{ Params: ProjectParams }>(listPath, (request, reply) =>
    remove(request, reply, (request.query as Record<string, unknown>).bundleId),
  );
  app.delete<{ Params: BundleParams }>(`${listPath}:bundleId/`, (request, reply) =>
    remove(request, reply, request.params.bundleId),
  );
  app.get<{ Params: BundleParams }>(
    '/api/0/projects/:org/:project/artifact-bundles/:bundleId/files/',
    listFiles,
  );
}

/** Returns the spellings a bundle ID may be stored under: as given, and as a lower-case UUID. */
function bundleIdCandidates(bundleId: string): string[] {
  const candidates = new Set([bundleId.slice(0, MAX_TEXT_LENGTH)]);
  const normalized = normalizeDebugId(bundleId);
  if (normalized !== null) {
    candidates.add(normalized);
  }
  return [...candidates];
}

function readText(value: unknown): string {
  if (value === undefined) {
    return '';
  }
  if (typeof value !== 'string' || value.length > MAX_TEXT_LENGTH) {
    throw new ValidationError(
      `Invalid query: send one value of at most ${MAX_TEXT_LENGTH} characters`,
    );
  }
  return value.trim();
}

function readOrder(value: unknown): 'asc' | 'desc' {
  if (value === undefined || value === '-date_added') {
    return 'desc';
  }
  if (value === 'date_added') {
    return 'asc';
  }
  throw new ValidationError(
    `Invalid sortBy ${JSON.stringify(value)}: use date_added or -date_added`,
  );
}
