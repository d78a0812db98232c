import type { FastifyInstance } from 'fastify';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Db } from '../../platform/db/index.js';
import type { OrganizationRepository } from '../organizations/index.js';
import { ReleaseRepository } from '../releases/index.js';
import { ArtifactBundleRepository } from './artifact-bundle-repository.js';
import { registerArtifactBundleRoutes } from './artifact-bundle-routes.js';
import { ReleaseFileRepository } from './release-file-repository.js';
import { registerReleaseFileRoutes } from './release-file-routes.js';

export interface ArtifactRoutesOptions {
  db: Db;
  organizations: OrganizationRepository;
  blobs: BlobStore;
}

/**
 * Registers the release file and artifact bundle routes in a context of their own, whose
 * parser leaves `multipart/form-data` bodies unread so that uploads stream from the socket.
 * Other routes keep Fastify's default parsers.
 */
export async function registerArtifactRoutes(
  app: FastifyInstance,
  options: ArtifactRoutesOptions,
): Promise<void> {
  const kysely = options.db.kysely;

  await app.register((scope, _options, done) => {
    scope.addContentTypeParser('multipart/form-data', (_request, _payload, parsed) => {
      parsed(null, undefined);
    });
    registerReleaseFileRoutes(scope, {
      db: kysely,
      organizations: options.organizations,
      releases: new ReleaseRepository(kysely),
      files: new ReleaseFileRepository(kysely),
      blobs: options.blobs,
    });
    registerArtifactBundleRoutes(scope, {
      db: kysely,
      organizations: options.organizations,
      bundles: new ArtifactBundleRepository(kysely),
      blobs: options.blobs,
    });
    done();
  });
}
