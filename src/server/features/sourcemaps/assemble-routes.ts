import type { FastifyInstance, FastifyReply } from 'fastify';

import { NotFoundError } from '../../platform/errors.js';
import { resolveOrganization, type OrganizationRepository } from '../organizations/index.js';
import type { ReleaseRepository } from '../releases/index.js';
import {
  parseArtifactBundleRequest,
  parseReleaseBundleRequest,
  type Parsed,
} from './assemble-request.js';
import type { AssembleTaskKey, AssembleTaskStore } from './assemble-task-store.js';
import type { ArtifactWriter } from './artifact-writer.js';
import type { AssembleJob, BundleAssembler } from './bundle-assembler.js';
import type { ChunkStore } from './chunk-store.js';
import { UPLOAD_SCOPES } from './upload-limits.js';

export interface AssembleRoutesOptions {
  organizations: OrganizationRepository;
  releases: ReleaseRepository;
  chunks: ChunkStore;
  tasks: AssembleTaskStore;
  writer: ArtifactWriter;
  assembler: BundleAssembler;
}

/** Sentry's assemble response. sentry-cli requires `state` and `missingChunks`. */
interface AssembleResponse {
  state: 'not_found' | 'created' | 'assembling' | 'ok' | 'error';
  missingChunks: string[];
  detail?: string | null;
}

type OrgParams = { org: string };
type ReleaseParams = { org: string; version: string };

/**
 * Registers the assemble endpoints with Sentry's negotiation. A request for a current task
 * returns its state. Otherwise, missing chunks are listed (`not_found`), or else the request
 * claims the task and starts assembling it in the background (`created`). Later requests see
 * `assembling`, then `ok` or `error` with a `detail`.
 */
export function registerAssembleRoutes(app: FastifyInstance, options: AssembleRoutesOptions) {
  const { organizations, releases, chunks, tasks, writer, assembler } = options;

  /**
   * Runs the negotiation for a validated request whose job is built by `job`. `confirmOk`
   * returns whether the result of an `ok` task is still stored; when it is not, the request
   * assembles again.
   */
  async function negotiate(
    key: AssembleTaskKey,
    requestedChunks: string[],
    job: () => AssembleJob,
    confirmOk: () => Promise<boolean> = () => Promise.resolve(true),
  ): Promise<AssembleResponse> {
    const current = await tasks.findCurrent(key);
    if (current?.state === 'ok' && !(await confirmOk())) {
      await tasks.remove(key);
    } else if (current !== undefined) {
      return describeTask(current.state, current.detail);
    }
    if (requestedChunks.length === 0) {
      // Sentry's rule: without chunks and without a task, the request is a poll for nothing.
      return { state: 'not_found', missingChunks: [] };
    }

    const missingChunks = await chunks.findMissing(key.organizationId, requestedChunks);
    if (missingChunks.length > 0) {
      return { state: 'not_found', missingChunks };
    }

    if (!(await tasks.claim(key))) {
      const claimed = await tasks.findCurrent(key);
      return describeTask(claimed?.state ?? 'created', claimed?.detail ?? null);
    }
    await chunks.touch(key.organizationId, requestedChunks);
    assembler.start(job());
    return { state: 'created', missingChunks: [] };
  }

  app.post<{ Params: OrgParams }>(
    '/api/0/organizations/:org/artifactbundle/assemble/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        UPLOAD_SCOPES,
      );
      const parsed = parseArtifactBundleRequest(request.body);
      if (!parsed.ok) {
        return sendInvalid(reply, parsed);
      }
      const body = parsed.value;
      const organizationId = access.organization.id;

      const projectIds: number[] = [];
      for (const slugOrId of new Set(body.projects)) {
        const project = await organizations.findProject(organizationId, slugOrId);
        if (project === undefined) {
          return reply.code(400).send({ error: 'One or more projects are invalid' });
        }
        projectIds.push(project.id);
      }

      const key = { organizationId, kind: 'artifact_bundle', checksum: body.checksum } as const;
      const target = {
        ...key,
        projectIds,
        release: body.version ?? null,
        dist: body.dist ?? null,
      };
      // A stored bundle serves the projects of every request that names it. When it was
      // deleted since, it is assembled again.
      return negotiate(
        key,
        body.chunks,
        () => ({ ...target, chunks: body.chunks }),
        () => writer.linkExistingBundle(target),
      );
    },
  );

  app.post<{ Params: ReleaseParams }>(
    '/api/0/organizations/:org/releases/:version/assemble/',
    async (request, reply) => {
      const access = await resolveOrganization(
        request,
        organizations,
        request.params.org,
        UPLOAD_SCOPES,
      );
      const parsed = parseReleaseBundleRequest(request.body);
      if (!parsed.ok) {
        return sendInvalid(reply, parsed);
      }
      const body = parsed.value;
      const organizationId = access.organization.id;
      const version = request.params.version;
      const release = await releases.findByVersion(organizationId, version);
      if (release === undefined) {
        throw new NotFoundError(`Release ${JSON.stringify(version.slice(0, 200))} not found`);
      }

      const key = { organizationId, kind: 'release_bundle', checksum: body.checksum } as const;
      return negotiate(key, body.chunks, () => ({
        ...key,
        chunks: body.chunks,
        releaseId: release.id,
        version: release.version,
      }));
    },
  );
}

function describeTask(state: AssembleResponse['state'], detail: string | null): AssembleResponse {
  return { state, detail: state === 'error' ? detail : null, missingChunks: [] };
}

function sendInvalid(reply: FastifyReply, parsed: Extract<Parsed<unknown>, { ok: false }>) {
  return reply.code(400).send({ error: parsed.error });
}
