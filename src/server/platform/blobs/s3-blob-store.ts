import { createHash } from 'node:crypto';
import { Readable } from 'node:stream';

import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadBucketCommand,
  HeadObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';

import { BlobNotFoundError, checkBlobKey, type BlobInfo, type BlobStore } from './blob-store.js';

/** Bucket, prefix and connection of the store. Credentials come from the AWS SDK's chain. */
export interface S3BlobStoreOptions {
  bucket: string;
  /** Folder inside the bucket, without slashes at either end; empty for the bucket's root. */
  prefix: string;
  /** Endpoint of an S3-compatible store; undefined for AWS S3. */
  endpoint: string | undefined;
  region: string;
  forcePathStyle: boolean;
}

// An upload keeps about QUEUE_SIZE + 1 parts in memory (two in flight, one filling), so about
// 24 MiB whatever its total size.
const PART_SIZE = 8 * 1024 * 1024;
const QUEUE_SIZE = 2;
const CONNECTION_TIMEOUT_MS = 5_000;
// The socket may stay idle this long in the middle of a request before the SDK gives up.
const REQUEST_TIMEOUT_MS = 60_000;

/**
 * Keeps blobs as objects of an S3 bucket, under `<prefix>/<key>`. `put` streams the content in
 * multipart uploads, so a large artifact bundle is never held in memory whole, and resolves
 * once S3 has acknowledged the whole object.
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #options: S3BlobStoreOptions;

  constructor(options: S3BlobStoreOptions) {
    // The SDK warns on Node 20 that its releases after January 2027 will need Node 22. Operators
    // cannot act on that inside Picket, so the SDK's own switch turns the warning off unless the
    // operator set that switch already.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    this.#options = options;
    this.#client = new S3Client({
      region: options.region,
      ...(options.endpoint === undefined ? {} : { endpoint: options.endpoint }),
      forcePathStyle: options.forcePathStyle,
      // AWS S3 responds to a request sent to the wrong region with a redirect to the right one.
      followRegionRedirects: true,
      requestHandler: {
        connectionTimeout: CONNECTION_TIMEOUT_MS,
        requestTimeout: REQUEST_TIMEOUT_MS,
      },
    });
  }

  /**
   * Checks that the bucket exists and that the credentials may use it.
   * @throws Error naming the bucket, the endpoint and the reason; never a credential.
   */
  async checkBucket(): Promise<void> {
    try {
      await this.#client.send(new HeadBucketCommand({ Bucket: this.#options.bucket }));
    } catch (error) {
      const endpoint = this.#options.endpoint ?? `AWS S3 in ${this.#options.region}`;
      throw new Error(
        `S3 bucket ${JSON.stringify(this.#options.bucket)} at ${endpoint} is not reachable (${describeError(error)}): check PICKET_BLOB_URL, AWS_ENDPOINT_URL_S3, AWS_REGION and the credentials`,
        { cause: error },
      );
    }
  }

  async put(key: string, content: Buffer | AsyncIterable<Buffer>): Promise<BlobInfo> {
    const objectKey = this.#objectKey(key);
    const hash = createHash('sha1');
    let size = 0;
    let contentError: unknown;

    async function* measured(): AsyncGenerator<Buffer> {
      const chunks = Buffer.isBuffer(content) ? [content] : content;
      try {
        for await (const chunk of chunks) {
          hash.update(chunk);
          size += chunk.length;
          yield chunk;
        }
      } catch (error) {
        contentError = error;
        throw error;
      }
    }

    // A failed upload leaves no object: a single PUT is sent only after the whole body was read,
    // and a multipart upload becomes an object only when it is completed. A failed multipart
    // upload is aborted, which drops its parts.
    const upload = new Upload({
      client: this.#client,
      params: { Bucket: this.#options.bucket, Key: objectKey, Body: Readable.from(measured()) },
      partSize: PART_SIZE,
      queueSize: QUEUE_SIZE,
      leavePartsOnError: false,
    });
    try {
      await upload.done();
    } catch (error) {
      // When the abort fails as well (s3rver does not implement it), the SDK rejects with the
      // abort's error. The content's own error describes what went wrong, so that one is thrown.
      throw contentError ?? error;
    }

    return { size, sha1: hash.digest('hex') };
  }

  async open(key: string): Promise<Readable> {
    const objectKey = this.#objectKey(key);

    try {
      const output = await this.#client.send(
        new GetObjectCommand({ Bucket: this.#options.bucket, Key: objectKey }),
      );
      if (!(output.Body instanceof Readable)) {
        throw new Error(`S3 returned no readable body for blob ${JSON.stringify(key)}`);
      }
      return output.Body;
    } catch (error) {
      if (isNotFound(error)) {
        throw new BlobNotFoundError(key);
      }
      throw error;
    }
  }

  async size(key: string): Promise<number | undefined> {
    const objectKey = this.#objectKey(key);

    try {
      const output = await this.#client.send(
        new HeadObjectCommand({ Bucket: this.#options.bucket, Key: objectKey }),
      );
      return output.ContentLength ?? 0;
    } catch (error) {
      if (isNotFound(error)) {
        return undefined;
      }
      throw error;
    }
  }

  async delete(key: string): Promise<void> {
    // S3 responds 204 for a missing key too.
    await this.#client.send(
      new DeleteObjectCommand({ Bucket: this.#options.bucket, Key: this.#objectKey(key) }),
    );
  }

  /** Closes the client's connections. */
  close(): void {
    this.#client.destroy();
  }

  #objectKey(key: string): string {
    checkBlobKey(key);
    return this.#options.prefix === '' ? key : `${this.#options.prefix}/${key}`;
  }
}

function isNotFound(error: unknown): boolean {
  return error instanceof S3ServiceException && error.$metadata.httpStatusCode === 404;
}

function describeError(error: unknown): string {
  if (error instanceof S3ServiceException) {
    const status = error.$metadata.httpStatusCode;
    return status === undefined ? error.name : `${error.name}, HTTP ${status}`;
  }
  return error instanceof Error ? error.message : String(error);
}
