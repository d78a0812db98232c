import type { BlobStore } from '../../platform/blobs/index.js';

/**
 * A least-recently-used cache bounded by the total size its entries declare, in bytes. An entry
 * larger than the whole budget is not kept.
 */
export class ByteLruCache<V> {
  readonly #maxBytes: number;
  readonly #entries = new Map<string, { value: V; bytes: number }>();
  #totalBytes = 0;

  constructor(maxBytes: number) {
    this.#maxBytes = maxBytes;
  }

  get totalBytes(): number {
    return this.#totalBytes;
  }

  get size(): number {
    return this.#entries.size;
  }

  get(key: string): V | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) {
      return undefined;
    }

    // Map keeps insertion order, so moving the entry to the end marks it as the newest.
    this.#entries.delete(key);
    this.#entries.set(key, entry);
    return entry.value;
  }

  set(key: string, value: V, bytes: number): void {
    this.delete(key);
    if (bytes > this.#maxBytes) {
      return;
    }

    this.#entries.set(key, { value, bytes });
    this.#totalBytes += bytes;
    for (const [oldestKey, oldest] of this.#entries) {
      if (this.#totalBytes <= this.#maxBytes) {
        break;
      }
      this.#entries.delete(oldestKey);
      this.#totalBytes -= oldest.bytes;
    }
  }

  delete(key: string): void {
    const entry = this.#entries.get(key);
    if (entry !== undefined) {
      this.#entries.delete(key);
      this.#totalBytes -= entry.bytes;
    }
  }

  clear(): void {
    this.#entries.clear();
    this.#totalBytes = 0;
  }
}

/** Raised when a stored artifact is larger than the caller accepts. */
export class ArtifactTooLargeError extends Error {
  constructor(key: string, maxBytes: number) {
    super(`Artifact blob ${JSON.stringify(key)} is larger than ${maxBytes} bytes`);
    this.name = 'ArtifactTooLargeError';
  }
}

/**
 * Reads a blob as UTF-8 text without a byte order mark, stopping once it exceeds `maxBytes`.
 * @throws ArtifactTooLargeError when the blob is larger than `maxBytes`.
 * @throws BlobNotFoundError when the blob does not exist.
 */
export async function readBlobText(
  blobs: BlobStore,
  key: string,
  maxBytes: number,
): Promise<string> {
  const stream = await blobs.open(key);
  const chunks: Buffer[] = [];
  let total = 0;

  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      total += chunk.length;
      if (total > maxBytes) {
        throw new ArtifactTooLargeError(key, maxBytes);
      }
      chunks.push(chunk);
    }
  } finally {
    stream.destroy();
  }

  const text = Buffer.concat(chunks, total).toString('utf8');
  return text.startsWith('\uFEFF') ? text.slice(1) : text;
}
