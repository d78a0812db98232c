import { randomUUID } from 'node:crypto';
import type { Readable } from 'node:stream';

/** Size and SHA-1 of a stored blob, computed while it was written. */
export interface BlobInfo {
  size: number;
  /** SHA-1 of the content as 40 lowercase hex digits. */
  sha1: string;
}

/**
 * Storage for large binary values (attachments, minidumps), addressed by keys that Picket
 * generates with {@link createBlobKey}. Keys never come from user input.
 */
export interface BlobStore {
  /**
   * Stores `content` under `key`, replacing nothing: the key must be new. Resolves only after
   * the blob is durable, so a caller may acknowledge the upload once it resolves. A failed or
   * aborted write leaves no blob behind.
   * @throws Error when the content stream fails or the storage is unavailable.
   */
  put(key: string, content: Buffer | AsyncIterable<Buffer>): Promise<BlobInfo>;
  /**
   * Opens a stored blob for reading.
   * @throws BlobNotFoundError when no blob has this key.
   */
  open(key: string): Promise<Readable>;
  /** Returns the size of a blob in bytes, or undefined when it does not exist. */
  size(key: string): Promise<number | undefined>;
  /** Deletes a blob. Deleting a missing blob is not an error. */
  delete(key: string): Promise<void>;
}

export class BlobNotFoundError extends Error {
  constructor(key: string) {
    super(`Blob ${JSON.stringify(key)} does not exist`);
    this.name = 'BlobNotFoundError';
  }
}

/** Key segments: lower-case letters, digits and dashes, so a key is a safe relative path. */
const KEY_PATTERN = /^[a-z0-9-]{1,64}(\/[a-z0-9-]{1,64}){0,7}$/;

/**
 * Returns a new key under a folder named for the kind of blob, such as `attachments`. Two
 * leading hex digits of the random id spread the blobs over 256 folders.
 */
export function createBlobKey(kind: string): string {
  const id = randomUUID().replaceAll('-', '');
  const key = `${kind}/${id.slice(0, 2)}/${id}`;
  checkBlobKey(key);
  return key;
}

/**
 * Checks that a key has the shape {@link createBlobKey} produces.
 * @throws Error naming the key when it does not.
 */
export function checkBlobKey(key: string): void {
  if (!KEY_PATTERN.test(key)) {
    throw new Error(`Invalid blob key ${JSON.stringify(key.slice(0, 100))}`);
  }
}
