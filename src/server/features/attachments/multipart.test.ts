import { PassThrough, Readable } from 'node:stream';

import { describe, expect, it } from 'vitest';

import { parseMultipart, type MultipartFile } from './multipart.js';

const BOUNDARY = 'picket-test-boundary';
const HEADERS = { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` };
const LIMITS = { maxFileBytes: 1000, maxFiles: 2, maxFieldBytes: 100, maxFields: 5 };

type Part = { name: string; value: string } | { name: string; filename: string; content: Buffer };

function buildBody(parts: Part[]): Buffer {
  const chunks: Buffer[] = [];
  for (const part of parts) {
    const disposition =
      'filename' in part
        ? `form-data; name="${part.name}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream`
        : `form-data; name="${part.name}"`;
    chunks.push(Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: ${disposition}\r\n\r\n`));
    chunks.push('filename' in part ? part.content : Buffer.from(part.value));
    chunks.push(Buffer.from('\r\n'));
  }
  chunks.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(chunks);
}

/** Reads each file to the end and returns its name and size. */
async function readFile(file: MultipartFile) {
  let size = 0;
  for await (const chunk of file.stream) {
    size += (chunk as Buffer).length;
  }
  return { name: file.filename, field: file.fieldName, size };
}

describe('parseMultipart', () => {
  it('returns fields and what the handler made of each file', async () => {
    const body = buildBody([
      { name: 'sentry', value: '{"level":"fatal"}' },
      { name: 'upload_file_minidump', filename: 'a.dmp', content: Buffer.alloc(600, 1) },
      { name: 'log', filename: 'b.log', content: Buffer.from('tail') },
    ]);

    const form = await parseMultipart(Readable.from([body]), HEADERS, LIMITS, readFile);

    expect(form.fields).toEqual([['sentry', '{"level":"fatal"}']]);
    expect(form.files).toEqual([
      { name: 'a.dmp', field: 'upload_file_minidump', size: 600 },
      { name: 'b.log', field: 'log', size: 4 },
    ]);
  });

  it('rejects a file over the limit after every handler settled', async () => {
    const settled: string[] = [];
    const body = buildBody([
      { name: 'small', filename: 's', content: Buffer.alloc(10) },
      { name: 'big', filename: 'b', content: Buffer.alloc(5000) },
    ]);

    const parse = parseMultipart(Readable.from([body]), HEADERS, LIMITS, async (file) => {
      try {
        return await readFile(file);
      } finally {
        settled.push(file.fieldName);
      }
    });

    await expect(parse).rejects.toMatchObject({ status: 413 });
    expect(settled.sort()).toEqual(['big', 'small']);
  });

  it('rejects more files than allowed', async () => {
    const file = { filename: 'f', content: Buffer.from('x') };
    const body = buildBody([
      { name: 'a', ...file },
      { name: 'b', ...file },
      { name: 'c', ...file },
    ]);

    await expect(
      parseMultipart(Readable.from([body]), HEADERS, LIMITS, readFile),
    ).rejects.toMatchObject({ status: 413 });
  });

  it('rejects a field over the limit', async () => {
    const body = buildBody([{ name: 'sentry', value: 'x'.repeat(101) }]);

    await expect(
      parseMultipart(Readable.from([body]), HEADERS, LIMITS, readFile),
    ).rejects.toMatchObject({ status: 413 });
  });

  it('rejects fields over their total limit', async () => {
    const body = buildBody([
      { name: 'a', value: 'x'.repeat(90) },
      { name: 'b', value: 'x'.repeat(90) },
    ]);
    const limits = { ...LIMITS, maxTotalFieldBytes: 150 };

    await expect(
      parseMultipart(Readable.from([body]), HEADERS, limits, readFile),
    ).rejects.toMatchObject({ status: 413, detail: expect.stringContaining('150 bytes together') });
  });

  it('accepts fields within their total limit', async () => {
    const body = buildBody([
      { name: 'a', value: 'x'.repeat(70) },
      { name: 'b', value: 'x'.repeat(70) },
    ]);
    const limits = { ...LIMITS, maxTotalFieldBytes: 150 };

    const form = await parseMultipart(Readable.from([body]), HEADERS, limits, readFile);

    expect(form.fields).toHaveLength(2);
  });

  it('rejects a body cut off in a file', async () => {
    const body = buildBody([{ name: 'a', filename: 'f', content: Buffer.alloc(100) }]);

    await expect(
      parseMultipart(Readable.from([body.subarray(0, 120)]), HEADERS, LIMITS, readFile),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a body cut off before a late reader starts', async () => {
    // As from a socket: the part arrives, the end comes later, and the handler reads only after
    // its own setup (a blob store opens a file first).
    const source = new PassThrough();
    const parse = parseMultipart(source, HEADERS, LIMITS, async (file) => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      return readFile(file);
    });

    source.write(
      `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"; filename="f"\r\n\r\ncut off`,
    );
    setTimeout(() => source.end(), 5);

    await expect(parse).rejects.toMatchObject({ status: 400 });
  });

  it('rejects a request that is not multipart', async () => {
    await expect(
      parseMultipart(
        Readable.from([Buffer.from('{}')]),
        { 'content-type': 'application/json' },
        LIMITS,
        readFile,
      ),
    ).rejects.toMatchObject({ status: 400 });
  });

  it('passes on the error of a failing handler', async () => {
    const body = buildBody([{ name: 'a', filename: 'f', content: Buffer.alloc(10) }]);

    await expect(
      parseMultipart(Readable.from([body]), HEADERS, LIMITS, async (file) => {
        file.stream.resume();
        throw Object.assign(new Error('disk full'), { status: 503 });
      }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringContaining('disk full') });
  });
});
