import path from 'node:path';

import type { Config } from '../config.js';
import type { BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

export {
  BlobNotFoundError,
  checkBlobKey,
  createBlobKey,
  type BlobInfo,
  type BlobStore,
} from './blob-store.js';
export { LocalBlobStore } from './local-blob-store.js';
export type { S3BlobStoreOptions } from './s3-blob-store.js';

/**
 * Opens the configured blob store: the bucket of `PICKET_BLOB_URL`, or else files under
 * `<dataDir>/blobs`. The bucket is checked unless `checkBucket` is false. The process checks it
 * once at start. Its worker thread skips the check, so an S3 outage fails only the records that
 * need a blob and does not stop the worker.
 * @throws Error naming the bucket and endpoint when the bucket cannot be reached.
 */
export async function openBlobStore(
  config: Pick<Config, 'dataDir' | 'blobUrl' | 's3'>,
  { checkBucket = true }: { checkBucket?: boolean } = {},
): Promise<BlobStore> {
  if (config.blobUrl === undefined) {
    return new LocalBlobStore(path.join(config.dataDir, 'blobs'));
  }

  // Loaded only here, so that the embedded mode never loads the AWS SDK (several MB of heap).
  const { S3BlobStore } = await import('./s3-blob-store.js');
  const store = new S3BlobStore({ ...config.blobUrl, ...config.s3 });
  if (!checkBucket) {
    return store;
  }
  try {
    await store.checkBucket();
  } catch (error) {
    store.close();
    throw error;
  }
  return store;
}
