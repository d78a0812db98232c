import type { Logger } from '../../platform/logger.js';
import type { AssembleTaskStore } from './assemble-task-store.js';
import { removeAssembledFilesBefore } from './bundle-file.js';
import type { ChunkStore } from './chunk-store.js';
import { CLEANUP_INTERVAL_MS, UPLOAD_RETENTION_MS } from './upload-limits.js';

export interface UploadCleanupOptions {
  chunks: ChunkStore;
  tasks: AssembleTaskStore;
  tempFolder: string;
  log: Logger;
}

/**
 * Removes what uploads leave behind once it is a day old: chunks no request used since,
 * finished or abandoned tasks, and temporary bundle files of a process that stopped while it
 * assembled. Returns the counts. Errors are logged, and the next run tries again.
 */
export async function cleanUpUploads(options: UploadCleanupOptions, now = Date.now()) {
  const cutoff = now - UPLOAD_RETENTION_MS;
  try {
    const counts = {
      chunks: await options.chunks.deleteUnusedBefore(cutoff),
      tasks: await options.tasks.deleteBefore(cutoff),
      tempFiles: await removeAssembledFilesBefore(options.tempFolder, cutoff),
    };
    if (counts.chunks + counts.tasks + counts.tempFiles > 0) {
      options.log.info(counts, 'upload leftovers removed');
    }
    return counts;
  } catch (error) {
    options.log.error({ err: error }, 'removing upload leftovers failed');
    return undefined;
  }
}

/** Runs {@link cleanUpUploads} now and every hour. The returned function stops it. */
export function scheduleUploadCleanup(options: UploadCleanupOptions): () => Promise<void> {
  let running = cleanUpUploads(options);
  const timer = setInterval(() => {
    running = running.then(() => cleanUpUploads(options));
  }, CLEANUP_INTERVAL_MS);
  timer.unref();
  return async () => {
    clearInterval(timer);
    await running;
  };
}
