import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BlobNotFoundError, createBlobKey } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

async function readAll(stream: AsyncIterable<Buffer>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) {
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

describe('LocalBlobStore', () => {
  let root: string;
  let store: LocalBlobStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-blobs-'));
    store = new LocalBlobStore(root);
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('stores a buffer and reads it back', async () => {
    const key = createBlobKey('attachments');
    const content = Buffer.from([0, 1, 2, 10, 13, 255]);

    const info = await store.put(key, content);

    expect(info).toEqual({
      size: content.length,
      sha1: createHash('sha1').update(content).digest('hex'),
    });
    expect((await readAll(await store.open(key))).equals(content)).toBe(true);
    expect(await store.size(key)).toBe(content.length);
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

  it('leaves nothing behind when the stream fails', async () => {
    const key = createBlobKey('attachments');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('client went away');
    }

    await expect(store.put(key, failing())).rejects.toThrow('client went away');

    expect(await store.size(key)).toBeUndefined();
    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
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
