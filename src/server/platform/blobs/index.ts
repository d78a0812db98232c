import path from 'node:path';

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

/** Opens the blob store of the embedded mode: files under `<dataDir>/blobs`. */
export function openBlobStore(dataDir: string): BlobStore {
  return new LocalBlobStore(path.join(dataDir, 'blobs'));
}
