import fsPromises from 'node:fs/promises';

import type { Logger } from '../../platform/logger.js';
import type { ArtifactWriter } from './artifact-writer.js';
import type { AssembleTaskKey, AssembleTaskStore } from './assemble-task-store.js';
import { writeAssembledFile } from './bundle-file.js';
import { BundleError, openSourceBundle, type BundleLimits } from './bundle-reader.js';
import { ChunkUploadError, type ChunkStore } from './chunk-store.js';
import {
  ASSEMBLY_HEARTBEAT_MS,
  MAX_ASSEMBLED_BYTES,
  MAX_CONCURRENT_ASSEMBLIES,
} from './upload-limits.js';

/** One claimed assemble request: the chunks of a bundle and where its files go. */
export type AssembleJob = AssembleTaskKey & { chunks: string[] } & (
    | {
        kind: 'artifact_bundle';
        projectIds: number[];
        release: string | null;
        dist: string | null;
      }
    | { kind: 'release_bundle'; releaseId: number; version: string }
  );

export interface BundleAssemblerOptions {
  chunks: ChunkStore;
  tasks: AssembleTaskStore;
  writer: ArtifactWriter;
  /** Folder for the assembled bundles while they are read. */
  tempFolder: string;
  log: Logger;
  limits?: BundleLimits;
}

const INTERNAL_DETAIL = 'Assembling the bundle failed on the server; see its log and try again';

/**
 * Runs assemblies in the background of the web process. Each concatenates the chunks into a
 * temporary file, checks the whole file's SHA-1, reads the source bundle, stores its files and
 * records `ok` or `error` with a `detail` in the task. While it runs, it renews the task's
 * heartbeat, so that another process can tell a running task from an abandoned one.
 */
export class BundleAssembler {
  readonly #options: BundleAssemblerOptions;
  readonly #running = new Set<Promise<void>>();
  readonly #abort = new AbortController();
  /** Jobs waiting for a slot, first in first out; each is woken with whether it got one. */
  readonly #waiting: ((granted: boolean) => void)[] = [];
  #active = 0;

  constructor(options: BundleAssemblerOptions) {
    this.#options = options;
  }

  /** Starts a claimed job and returns at once. The job records its own result. */
  start(job: AssembleJob): void {
    const run = this.#run(job).finally(() => {
      this.#running.delete(run);
    });
    this.#running.add(run);
  }

  /**
   * Stops the running jobs at their next step and waits for them. A stopped job's task is
   * deleted, so that the next request for it starts again.
   */
  async close(): Promise<void> {
    this.#abort.abort();
    for (const wake of this.#waiting.splice(0)) {
      wake(false);
    }
    await Promise.allSettled([...this.#running]);
  }

  async #run(job: AssembleJob): Promise<void> {
    const { tasks, log } = this.#options;
    const startedAt = Date.now();
    const fields = { organizationId: job.organizationId, kind: job.kind, checksum: job.checksum };
    const heartbeat = setInterval(() => {
      tasks.renew(job).catch((error: unknown) => {
        log.warn({ ...fields, err: error }, 'assembly heartbeat failed');
      });
    }, ASSEMBLY_HEARTBEAT_MS);
    heartbeat.unref();

    let holdsSlot = false;
    try {
      holdsSlot = await this.#acquireSlot();
      this.#checkNotStopped();
      await tasks.update(job, 'assembling');
      const fileCount = await this.#assemble(job);
      await tasks.update(job, 'ok');
      log.info({ ...fields, fileCount, durationMs: Date.now() - startedAt }, 'bundle assembled');
    } catch (error) {
      await this.#recordFailure(job, error, fields);
    } finally {
      clearInterval(heartbeat);
      if (holdsSlot) {
        this.#releaseSlot();
      }
    }
  }

  /** Returns true with a slot held, or false when the assembler closed while the job waited. */
  async #acquireSlot(): Promise<boolean> {
    if (this.#active < MAX_CONCURRENT_ASSEMBLIES) {
      this.#active += 1;
      return true;
    }
    return new Promise<boolean>((resolve) => {
      this.#waiting.push(resolve);
    });
  }

  /** Hands the slot to the next waiting job, so that no new job can take it in between. */
  #releaseSlot(): void {
    const next = this.#waiting.shift();
    if (next === undefined) {
      this.#active -= 1;
      return;
    }
    next(true);
  }

  /** Returns the number of files stored, 0 when the bundle existed already. */
  async #assemble(job: AssembleJob): Promise<number> {
    const { chunks, writer, tempFolder, limits } = this.#options;
    if (job.kind === 'artifact_bundle' && (await writer.linkExistingBundle(job))) {
      return 0;
    }

    this.#checkNotStopped();
    const chunkStreams = chunks.open(job.organizationId, job.chunks);
    const file = await writeAssembledFile(tempFolder, chunkStreams, MAX_ASSEMBLED_BYTES);
    try {
      if (file.sha1 !== job.checksum) {
        throw new BundleError(
          `The assembled file has the SHA-1 ${file.sha1}, not the checksum ${job.checksum} of the request; send the chunks of one file in order`,
        );
      }
      this.#checkNotStopped();

      const bundle = await openSourceBundle(file.path, limits);
      try {
        if (job.kind === 'artifact_bundle') {
          await writer.storeArtifactBundle(job, bundle);
        } else {
          await writer.storeReleaseFiles(job, bundle);
        }
        return bundle.files.length;
      } finally {
        bundle.close();
      }
    } finally {
      await fsPromises.rm(file.path, { force: true });
    }
  }

  async #recordFailure(job: AssembleJob, error: unknown, fields: Record<string, unknown>) {
    const { tasks, log } = this.#options;
    try {
      if (this.#abort.signal.aborted) {
        log.info(fields, 'assembly stopped by shutdown');
        await tasks.remove(job);
        return;
      }
      if (error instanceof BundleError || error instanceof ChunkUploadError) {
        log.warn({ ...fields, reason: error.message }, 'bundle rejected');
        await tasks.update(job, 'error', error.message);
        return;
      }
      log.error({ ...fields, err: error }, 'assembly failed');
      await tasks.update(job, 'error', INTERNAL_DETAIL);
    } catch (recordError) {
      // The task stays `assembling` and is started again once its heartbeat is stale.
      log.error({ ...fields, err: recordError }, 'recording the assembly result failed');
    }
  }

  #checkNotStopped(): void {
    if (this.#abort.signal.aborted) {
      throw new Error('The server is shutting down');
    }
  }
}
