import type { Readable } from 'node:stream';

import type { FastifyReply, FastifyRequest } from 'fastify';

import { createBlobKey, type BlobStore } from '../../platform/blobs/index.js';
import { AppError, ValidationError } from '../../platform/errors.js';
import { openRequestStream, parseMultipart } from '../attachments/index.js';
import {
  checkDist,
  checkFileName,
  detectFileType,
  findHeader,
  normalizeDebugId,
  parseHeaderFields,
} from './release-file-fields.js';

/**
 * Largest release file accepted, in bytes. sentry.io accepts 40 MB on this endpoint; bigger
 * files belong in artifact bundles, which the chunk upload splits.
 */
export const MAX_RELEASE_FILE_BYTES = 40 * 1024 * 1024;

// Room for the text fields and multipart framing on top of the file.
const MAX_FORM_OVERHEAD_BYTES = 1024 * 1024;
// The end of a file that is kept to find its `sourceMappingURL` and `debugId` comments.
const TAIL_BYTES = 4096;
const DEBUG_ID_COMMENT = /\/\/# debugId=([0-9a-fA-F-]{32,36})\s*$/m;

/** A release file stored in the blob store, with the fields of its upload checked. */
export interface ReceivedReleaseFile {
  name: string;
  /** '' for none. */
  dist: string;
  headers: Record<string, string>;
  fileType: string;
  debugId: string | null;
  blobKey: string;
  size: number;
  sha1: string;
}

interface StoredPart {
  blobKey: string;
  size: number;
  sha1: string;
  contentType: string;
  filename: string | undefined;
  tail: Buffer;
}

/**
 * Reads Sentry's release file upload, a `multipart/form-data` body with the content in `file`,
 * the URL-like `name` (defaults to the part's file name), an optional `dist` and repeated
 * `header` fields of the form `Key:Value`. The content streams into the blob store while its
 * size and SHA-1 are computed, so it is never held in memory. When anything is invalid, the
 * stored blob is deleted before the error is thrown.
 * @throws AppError 400 for a missing file or an invalid field, 413 for a file over
 *   {@link MAX_RELEASE_FILE_BYTES}, 503 when the blob store fails.
 */
export async function receiveReleaseFile(
  request: FastifyRequest,
  reply: FastifyReply,
  blobs: BlobStore,
): Promise<ReceivedReleaseFile> {
  const contentType = request.headers['content-type'] ?? '';
  if (!/^multipart\/form-data\s*;/i.test(contentType)) {
    throw new AppError(
      400,
      'bad_request',
      'Upload the file as multipart/form-data with the content in the "file" field',
    );
  }

  const stored: StoredPart[] = [];
  try {
    const form = await parseMultipart(
      openRequestStream(request, reply, MAX_RELEASE_FILE_BYTES + MAX_FORM_OVERHEAD_BYTES),
      request.headers,
      {
        maxFileBytes: MAX_RELEASE_FILE_BYTES,
        maxFiles: 1,
        maxFieldBytes: 16 * 1024,
        maxFields: 100,
        maxTotalFieldBytes: 256 * 1024,
      },
      async (file) => {
        if (file.fieldName !== 'file') {
          file.stream.resume();
          throw new ValidationError(
            `Unexpected file field ${JSON.stringify(file.fieldName.slice(0, 100))}: send the content in the "file" field`,
          );
        }
        const part = await storePart(blobs, file.stream);
        stored.push({ ...part, contentType: file.contentType, filename: file.filename });
      },
    );

    const [part] = stored;
    if (part === undefined) {
      throw new ValidationError('Missing uploaded file: send the content in the "file" field');
    }
    return describeUpload(part, form.fields);
  } catch (error) {
    await Promise.allSettled(stored.map((part) => blobs.delete(part.blobKey)));
    throw error;
  }
}

function describeUpload(part: StoredPart, fields: [string, string][]): ReceivedReleaseFile {
  const lastField = (key: string) => fields.findLast(([name]) => name === key)?.[1];

  const name = lastField('name') ?? part.filename ?? '';
  if (name === '' || name === 'file') {
    throw new ValidationError('File name must be specified: send it in the "name" field', {
      name: ['File name must be specified'],
    });
  }
  checkFileName(name);
  const dist = lastField('dist') ?? '';
  if (dist !== '') {
    checkDist(dist);
  }

  const headers = parseHeaderFields(
    part.contentType,
    fields.filter(([key]) => key === 'header').map(([, value]) => value),
  );
  const tail = part.tail.toString('latin1');
  const debugId =
    normalizeDebugId(findHeader(headers, 'debug-id')) ??
    normalizeDebugId(DEBUG_ID_COMMENT.exec(tail)?.[1]);

  return {
    name,
    dist,
    headers,
    fileType: detectFileType(name, headers, tail),
    debugId,
    blobKey: part.blobKey,
    size: part.size,
    sha1: part.sha1,
  };
}

async function storePart(
  blobs: BlobStore,
  stream: Readable,
): Promise<Omit<StoredPart, 'contentType' | 'filename'>> {
  const blobKey = createBlobKey('release-files');
  let tail = Buffer.alloc(0);

  async function* keepTail(): AsyncIterable<Buffer> {
    for await (const chunk of stream) {
      const bytes = chunk as Buffer;
      tail =
        bytes.length >= TAIL_BYTES
          ? Buffer.from(bytes.subarray(bytes.length - TAIL_BYTES))
          : Buffer.concat([tail, bytes]).subarray(-TAIL_BYTES);
      yield bytes;
    }
  }

  try {
    const info = await blobs.put(blobKey, keepTail());
    return { blobKey, size: info.size, sha1: info.sha1, tail };
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    // A destroyed part stream (limit passed, client gone) fails the parse with its own error.
    if (stream.destroyed && stream.errored !== null) {
      throw stream.errored;
    }
    throw new AppError(503, 'unavailable', 'Release file storage failed: retry later', {
      cause: error,
      headers: { 'retry-after': '60' },
    });
  }
}
