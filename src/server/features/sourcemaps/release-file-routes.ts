import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import { BlobNotFoundError, type BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, NotFoundError, ValidationError } from '../../platform/errors.js';
import { readPage, setPageLinks } from '../../platform/http/pagination.js';
import type { Scope } from '../accounts/scopes.js';
import {
  resolveOrganization,
  resolveProject,
  type OrganizationRepository,
} from '../organizations/index.js';
import type { ReleaseRepository } from '../releases/index.js';
import { deleteUnreferencedBlobs } from './artifact-blobs.js';
import { serializeReleaseFile } from './artifact-serializers.js';
import { checkDist, checkFileName, contentDisposition } from './release-file-fields.js';
import type { ReleaseFileRepository } from './release-file-repository.js';
import { receiveReleaseFile } from './release-file-upload.js';

export interface ReleaseFileRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  releases: ReleaseRepository;
  files: ReleaseFileRepository;
  blobs: BlobStore;
}

// The scopes of the release routes. Reading takes any project scope or sentry-cli's release
// scope, writing takes the write or release scope, and deleting the admin or release scope.
const READ_SCOPES: readonly Scope[] = [
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
];
const WRITE_SCOPES: readonly Scope[] = ['project:write', 'project:releases'];
const DELETE_SCOPES: readonly Scope[] = ['project:admin', 'project:releases'];
// File contents may be source code, so as in Sentry a download needs the write or admin scope.
const DOWNLOAD_SCOPES: readonly Scope[] = ['project:write', 'project:admin'];

const ERR_FILE_EXISTS = 'A file matching this name already exists for the given release';
const MAX_FILTER_VALUES = 1000;

const updateSchema = z.object({
  name: z.string().min(1, 'File name must not be empty'),
  dist: z.string().nullish(),
});

type VersionParams = { org: string; version: string; project?: string };
type FileParams = VersionParams & { fileId: string };

/**
 * Registers Sentry's release file routes under the organization and the project form of a
 * release path: list, upload, read or download one, rename and delete. The upload route reads
 * `multipart/form-data`, so the caller registers these routes in a context with a parser that
 * leaves such bodies unread.
 */
export function registerReleaseFileRoutes(
  app: FastifyInstance,
  options: ReleaseFileRoutesOptions,
): void {
  const { files, blobs } = options;

  async function loadRelease(
    request: FastifyRequest<{ Params: VersionParams }>,
    scopes: readonly Scope[],
  ) {
    const { org, project, version } = request.params;
    let organizationId: number;
    let projectId: number | undefined;
    if (project === undefined) {
      const access = await resolveOrganization(request, options.organizations, org, scopes);
      organizationId = access.organization.id;
    } else {
      const resolved = await resolveProject(
        request,
        options.organizations,
        { org, project },
        scopes,
      );
      organizationId = resolved.access.organization.id;
      projectId = resolved.project.id;
    }
    const release = await options.releases.findByVersion(organizationId, version);
    const notFound = new NotFoundError(
      `Release ${JSON.stringify(version.slice(0, 200))} not found`,
    );

    if (release === undefined) {
      throw notFound;
    }
    if (projectId !== undefined) {
      const projects = await options.releases.listProjects([release.id]);
      if (!projects.some((candidate) => candidate.projectId === projectId)) {
        throw notFound;
      }
    }
    return release;
  }

  async function loadFile(
    request: FastifyRequest<{ Params: FileParams }>,
    scopes: readonly Scope[],
  ) {
    const release = await loadRelease(request, scopes);
    const fileId = /^\d{1,15}$/.test(request.params.fileId) ? Number(request.params.fileId) : NaN;
    const file = Number.isNaN(fileId) ? undefined : await files.find(release.id, fileId);
    if (file === undefined) {
      throw new NotFoundError(
        `Release file ${JSON.stringify(request.params.fileId.slice(0, 40))} not found`,
      );
    }
    return file;
  }

  async function list(request: FastifyRequest<{ Params: VersionParams }>, reply: FastifyReply) {
    const release = await loadRelease(request, READ_SCOPES);
    const query = request.query as Record<string, unknown>;
    const page = readPage(query);
    const rows = await files.list(release.id, {
      names: readValues(query, 'query').filter((value) => value !== ''),
      checksums: readValues(query, 'checksum').map((value) => value.toLowerCase()),
      offset: page.offset,
      limit: page.limit,
    });

    setPageLinks(request, reply, page, rows.length > page.limit);
    return rows.slice(0, page.limit).map(serializeReleaseFile);
  }

  async function upload(request: FastifyRequest<{ Params: VersionParams }>, reply: FastifyReply) {
    const release = await loadRelease(request, WRITE_SCOPES);
    const received = await receiveReleaseFile(request, reply, blobs);
    const result = await files
      .insert({ ...received, organizationId: release.organizationId, releaseId: release.id })
      .catch(async (error: unknown) => {
        await blobs.delete(received.blobKey);
        throw error;
      });

    if (result.status === 'conflict') {
      await blobs.delete(received.blobKey);
      throw new AppError(409, 'conflict', ERR_FILE_EXISTS);
    }
    request.log.info(
      { releaseId: release.id, fileId: result.file.id, bytes: received.size },
      'release file stored',
    );
    return reply.code(201).send(serializeReleaseFile(result.file));
  }

  async function read(request: FastifyRequest<{ Params: FileParams }>, reply: FastifyReply) {
    const download = (request.query as Record<string, unknown>).download;
    if (download !== '1' && download !== 'true') {
      return serializeReleaseFile(await loadFile(request, READ_SCOPES));
    }

    const file = await loadFile(request, DOWNLOAD_SCOPES);
    const content = await blobs.open(file.blobKey).catch((error: unknown) => {
      if (error instanceof BlobNotFoundError) {
        throw new NotFoundError(`The content of release file ${file.id} is missing from storage`);
      }
      throw error;
    });
    return reply
      .header('content-type', 'application/octet-stream')
      .header('content-length', String(file.size))
      .header('content-disposition', contentDisposition(file.name))
      .header('x-content-type-options', 'nosniff')
      .send(content);
  }

  async function update(request: FastifyRequest<{ Params: FileParams }>) {
    const file = await loadFile(request, WRITE_SCOPES);
    const parsed = updateSchema.safeParse(request.body ?? {});
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new ValidationError(
        `${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? 'Invalid body'}`,
      );
    }
    const { name } = parsed.data;
    const dist = parsed.data.dist === undefined ? file.dist : (parsed.data.dist ?? '');
    checkFileName(name);
    if (dist !== '') {
      checkDist(dist);
    }

    const result = await files.update(file.id, { name, dist });
    if (result.status === 'conflict') {
      throw new AppError(409, 'conflict', ERR_FILE_EXISTS);
    }
    return serializeReleaseFile(result.file);
  }

  async function remove(request: FastifyRequest<{ Params: FileParams }>, reply: FastifyReply) {
    const file = await loadFile(request, DELETE_SCOPES);
    await files.delete(file.id);
    await deleteUnreferencedBlobs(options.db, blobs, [file.blobKey], request.log);
    return reply.code(204).send();
  }

  for (const prefix of [
    '/api/0/organizations/:org/releases/:version/files/',
    '/api/0/projects/:org/:project/releases/:version/files/',
  ]) {
    app.get<{ Params: VersionParams }>(prefix, list);
    app.post<{ Params: VersionParams }>(prefix, upload);
    app.get<{ Params: FileParams }>(`${prefix}:fileId/`, read);
    app.put<{ Params: FileParams }>(`${prefix}:fileId/`, update);
    app.delete<{ Params: FileParams }>(`${prefix}:fileId/`, remove);
  }
}

/**
 * Returns the values of a query parameter that may repeat (`?checksum=a&checksum=b`).
 * @throws ValidationError when it repeats more than 1,000 times.
 */
function readValues(query: Record<string, unknown>, key: string): string[] {
  const raw = query[key];
  const values = (Array.isArray(raw) ? raw : [raw]).filter(
    (value): value is string => typeof value === 'string',
  );
  if (values.length > MAX_FILTER_VALUES) {
    throw new ValidationError(`Too many ${key} values: send at most ${MAX_FILTER_VALUES}`);
  }
  return values;
}
