import type { Readable } from 'node:stream';

import busboy from 'busboy';
import type { IncomingHttpHeaders } from 'node:http';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';

export interface MultipartLimits {
  maxFileBytes: number;
  maxFiles: number;
  maxFieldBytes: number;
  maxFields: number;
  /** Bytes of all text field names and values together; without it only the count is capped. */
  maxTotalFieldBytes?: number;
}

/** One file part of a form. Its stream must be read to the end or destroyed. */
export interface MultipartFile {
  fieldName: string;
  filename: string | undefined;
  contentType: string;
  stream: Readable;
}

export interface MultipartForm<T> {
  /** Text fields in the order they came. */
  fields: [string, string][];
  /** Results of `handleFile` for each file, in order. */
  files: T[];
}

/**
 * Parses a `multipart/form-data` body as it streams in. Each file goes to `handleFile` while
 * it arrives, so files are never held in memory. When a limit is passed or the body is
 * malformed, the open file streams are destroyed, every `handleFile` call is awaited, and the
 * returned promise rejects. The caller then discards what its handlers stored.
 *
 * @throws AppError 400 for a malformed body or a content type other than multipart/form-data.
 * @throws AppError 413 when a file, field or count exceeds its limit.
 */
export function parseMultipart<T>(
  source: Readable,
  headers: IncomingHttpHeaders,
  limits: MultipartLimits,
  handleFile: (file: MultipartFile) => Promise<T>,
): Promise<MultipartForm<T>> {
  return new Promise((resolve, reject) => {
    let parser: busboy.Busboy;
    try {
      parser = busboy({
        headers,
        limits: {
          fileSize: limits.maxFileBytes,
          files: limits.maxFiles,
          fieldSize: limits.maxFieldBytes,
          fields: limits.maxFields,
        },
      });
    } catch (error) {
      source.resume();
      reject(
        new AppError(400, 'bad_request', `Invalid multipart/form-data body: ${String(error)}`),
      );
      return;
    }

    const fields: [string, string][] = [];
    let fieldBytes = 0;
    const tasks: Promise<T>[] = [];
    const openStreams = new Set<Readable>();
    let failed = false;

    const fail = (error: AppError) => {
      if (failed) {
        return;
      }
      failed = true;
      source.unpipe(parser);
      source.resume();
      for (const stream of openStreams) {
        stream.destroy(error);
      }
      void Promise.allSettled(tasks).then(() => {
        reject(error);
      });
    };

    parser.on('file', (fieldName, stream, info) => {
      if (failed) {
        stream.resume();
        return;
      }
      openStreams.add(stream);
      stream.on('close', () => openStreams.delete(stream));
      // A handler may start reading later (after opening a file), and busboy can fail the stream
      // first, for a body cut off in this part. The parser reports that error as well, and a
      // handler that reads the stream still sees it, so this listener only keeps the process up.
      stream.on('error', () => undefined);
      stream.on('limit', () => {
        fail(
          new PayloadTooLargeError(
            `File ${JSON.stringify(fieldName)} exceeds the maximum of ${limits.maxFileBytes} bytes`,
          ),
        );
      });
      const task = handleFile({
        fieldName,
        filename: info.filename,
        contentType: info.mimeType,
        stream,
      });
      task.catch((error: unknown) => {
        fail(toAppError(error));
      });
      tasks.push(task);
    });

    parser.on('field', (name, value, info) => {
      if (info.valueTruncated) {
        fail(
          new PayloadTooLargeError(
            `Form field ${JSON.stringify(name.slice(0, 100))} exceeds the maximum of ${limits.maxFieldBytes} bytes`,
          ),
        );
        return;
      }
      fieldBytes += Buffer.byteLength(name) + Buffer.byteLength(value);
      if (limits.maxTotalFieldBytes !== undefined && fieldBytes > limits.maxTotalFieldBytes) {
        fail(
          new PayloadTooLargeError(
            `The form fields exceed the maximum of ${limits.maxTotalFieldBytes} bytes together`,
          ),
        );
        return;
      }
      fields.push([name, value]);
    });

    parser.on('filesLimit', () => {
      fail(new PayloadTooLargeError(`The form has more than ${limits.maxFiles} files`));
    });
    parser.on('fieldsLimit', () => {
      fail(new PayloadTooLargeError(`The form has more than ${limits.maxFields} fields`));
    });
    parser.on('error', (error: Error) => {
      fail(new AppError(400, 'bad_request', `Invalid multipart/form-data body: ${error.message}`));
    });
    source.on('error', (error) => {
      fail(toAppError(error));
    });
    parser.on('close', () => {
      Promise.all(tasks).then(
        (files) => {
          if (!failed) {
            resolve({ fields, files });
          }
        },
        (error: unknown) => {
          fail(toAppError(error));
        },
      );
    });

    source.pipe(parser);
  });
}

function toAppError(error: unknown): AppError {
  if (error instanceof AppError) {
    return error;
  }
  const message = error instanceof Error ? error.message : String(error);
  return new AppError(400, 'bad_request', `Failed to read the upload: ${message}`, {
    cause: error,
  });
}
