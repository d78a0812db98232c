import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { createBlobKey } from './blob-store.js';
import { LocalBlobStore } from './local-blob-store.js';

// The behaviour every blob store shares is tested in blob-store.test.ts.
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

  it('removes its temporary file when the stream fails', async () => {
    const key = createBlobKey('attachments');
    async function* failing() {
      yield Buffer.from('partial');
      throw new Error('client went away');
    }

    await expect(store.put(key, failing())).rejects.toThrow('client went away');

    expect(fs.readdirSync(path.join(root, 'tmp'))).toEqual([]);
  });

  it('writes blobs as files under the root', async () => {
    const key = createBlobKey('attachments');

    await store.put(key, Buffer.from('content'));

    expect(fs.readFileSync(path.join(root, key), 'utf8')).toBe('content');
  });
});
