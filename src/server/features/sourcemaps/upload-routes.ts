import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import type { Kysely } from 'kysely';

import type { BlobStore } from '../../platform/blobs/index.js';
import type { Database } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import type { OrganizationRepository } from '../organizations/index.js';
import type { ReleaseRepository } from '../releases/index.js';
import { registerAssembleRoutes } from './assemble-routes.js';
import { AssembleTaskStore } from './assemble-task-store.js';
import { ArtifactWriter } from './artifact-writer.js';
import { BundleAssembler } from './bundle-assembler.js';
import { registerChunkUploadRoutes } from './chunk-upload-routes.js';
import { ChunkStore } from './chunk-store.js';
import { scheduleUploadCleanup } from './upload-cleanup.js';

export interface UploadRoutesOptions {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  releases: ReleaseRepository;
  blobs: BlobStore;
  /** Data folder; assembled bundles are written to `tmp/assemble` in it while they are read. */
  dataDir: string;
  publicUrl: string | undefined;
  log: Logger;
}

/**
 * Registers the source-map upload endpoints of sentry-cli and the bundler plugins: chunk
 * upload, artifact-bundle assemble and release-level assemble. Assemblies run in this process
 * and are waited for when the server closes.
 */
export async function registerUploadRoutes(
  app: FastifyInstance,
  options: UploadRoutesOptions,
): Promise<void> {
  const log = options.log.child({ module: 'sourcemaps' });
  const chunks = new ChunkStore(options.db, options.blobs);
  const tasks = new AssembleTaskStore(options.db);
  const writer = new ArtifactWriter(options.db, options.blobs, log);
  const tempFolder = path.join(options.dataDir, 'tmp', 'assemble');
  const assembler = new BundleAssembler({ chunks, tasks, writer, tempFolder, log });
  const stopCleanup = scheduleUploadCleanup({ chunks, tasks, tempFolder, log });

  app.addHook('onClose', async () => {
    await assembler.close();
    await stopCleanup();
  });

  // An encapsulated context, so that multipart bodies stay unread for the chunk route only.
  await app.register((uploads, _options, done) => {
    uploads.addContentTypeParser('multipart/form-data', (_request, _payload, parsed) => {
      parsed(null, undefined);
    });
    registerChunkUploadRoutes(uploads, {
      organizations: options.organizations,
      chunks,
      publicUrl: options.publicUrl,
    });
    registerAssembleRoutes(uploads, {
      organizations: options.organizations,
      releases: options.releases,
      chunks,
      tasks,
      writer,
      assembler,
    });
    done();
  });
}
