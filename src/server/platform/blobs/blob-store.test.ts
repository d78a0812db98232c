import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { startS3, type TestS3 } from '../../../../test/helpers/s3.js';
import { BlobNotFoundError, createBlobKey, type BlobStore } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';
import { S3BlobStore } from './s3-blob-store.js';

interface OpenedStore {
  store: BlobStore;
  /** Returns every stored object or file, to check that a failed write left nothing. */
  listAll(): Promise<string[]>;
  close(): Promise<void>;
}

const STORES: { name: string; open: () => Promise<OpenedStore> }[] = [
  {
    name: 'LocalBlobStore',
    open: () => {
      const root = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-blobs-'));
      return Promise.resolve({
        store: new LocalBlobStore(root),
        listAll: () =>
          Promise.resolve(
            (fs.readdirSync(root, { recursive: true }) as string[]).filter((entry) =>
              fs.statSync(path.join(root, entry)).isFile(),
            ),
          ),
        close: () => Promise.resolve(fs.rmSync(root, { recursive: true, force: true })),
      });
    },
  },
  {
    name: 'S3BlobStore',
    open: async () => {
      const s3: TestS3 = await startS3('contract-test', 'blobs');
      const saved = { ...process.env };
      Object.assign(process.env, s3.env);
      const store = new S3BlobStore({
        bucket: s3.bucket,
        prefix: 'blobs',
        endpoint: s3.endpoint,
        region: 'us-east-1',
        forcePathStyle: true,
      });
      await store.checkBucket();
      return {
        store,
        listAll: () => s3.listKeys(),
        close: async () => {
          store.close();
          await s3.stop();
          process.env = saved;
        },
      };
    },
  },
];

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

const sha1 = (content: Buffer) => createHash('sha1').update(content).digest('hex');

describe.each(STORES)('$name', ({ open }) => {
  let opened: OpenedStore;
  let store: BlobStore;

  beforeAll(async () => {
    opened = await open();
    store = opened.store;
  });

  afterAll(async () => {
    await opened?.close();
  });

  it('stores a buffer and reads it back', async () => {
    const key = createBlobKey('attachments');
    const content = Buffer.from([0, 1, 2, 10, 13, 255]);

    const info = await store.put(key, content);

    expect(info).toEqual({ size: content.length, sha1: sha1(content) });
    expect((await readAll(await store.open(key))).equals(content)).toBe(true);
    expect(await store.size(key)).toBe(content.length);
  });

  it('stores an empty blob', async () => {
    const key = createBlobKey('attachments');

    const info = await store.put(key, Buffer.alloc(0));

    expect(info).toEqual({ size: 0, sha1: sha1(Buffer.alloc(0)) });
    expect((await readAll(await store.open(key))).length).toBe(0);
    expect(await store.size(key)).toBe(0);
  });

  it('stores a stream chunk by chunk', async () => {
    const key = createBlobKey('minidumps');
    async function* chunks() {
      yield Buffer.from('MDMP');
      yield Buffer.alloc(100_000, 7);
    }

    const info = await store.put(key, chunks());

    expect(info.size).toBe(100_004);
    expect(await store.size(key)).toBe(100_004);
  });

  it('stores a stream larger than one upload part', async () => {
    const key = createBlobKey('artifact-bundles');
    const chunk = Buffer.alloc(1024 * 1024, 'abcdefgh');
    const expected = createHash('sha1');
    async function* chunks() {
      for (let index = 0; index < 20; index += 1) {
        const numbered = Buffer.concat([Buffer.from(String(index)), chunk]);
        expected.update(numbered);
        yield numbered;
      }
    }

    const info = await store.put(key, chunks());
    const readBack = await readAll(await store.open(key));

    expect(info.sha1).toBe(expected.digest('hex'));
    expect(readBack.length).toBe(info.size);
    expect(sha1(readBack)).toBe(info.sha1);
  });

  it.each([
    ['a small stream', 1],
    ['a stream of several upload parts', 20],
  ])('leaves nothing behind when %s fails', async (_name, megabytes) => {
    const key = createBlobKey('attachments');
    const before = await opened.listAll();
    async function* failing() {
      for (let index = 0; index < megabytes; index += 1) {
        yield Buffer.alloc(1024 * 1024, 1);
      }
      throw new Error('client went away');
    }

    await expect(store.put(key, failing())).rejects.toThrow('client went away');

    expect(await store.size(key)).toBeUndefined();
    expect(await opened.listAll()).toEqual(before);
  });

  it('deletes a blob and ignores a missing one', async () => {
    const key = createBlobKey('attachments');
    await store.put(key, Buffer.from('x'));

    await store.delete(key);
    await store.delete(key);

    expect(await store.size(key)).toBeUndefined();
  });

  it('reports a missing blob as not found', async () => {
    await expect(store.open(createBlobKey('attachments'))).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
  });

  it.each(['../outside', 'attachments/../../etc/passwd', '/etc/passwd', 'A/b', '', 'a//b'])(
    'rejects the key %j',
    async (key) => {
      await expect(store.put(key, Buffer.from('x'))).rejects.toThrow(/Invalid blob key/);
      await expect(store.size(key)).rejects.toThrow(/Invalid blob key/);
    },
  );
});
