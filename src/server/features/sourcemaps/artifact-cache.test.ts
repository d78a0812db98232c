import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { afterEach, beforeEach, describe, expect, it } from 'vitest';

import { BlobNotFoundError, createBlobKey, LocalBlobStore } from '../../platform/blobs/index.js';
import { ArtifactTooLargeError, ByteLruCache, readBlobText } from './artifact-cache.js';
import { ArtifactCache } from './symbolicate-cache.js';

const MAP = JSON.stringify({
  version: 3,
  sources: ['a.js'],
  sourcesContent: ['let a = 1;\n'],
  names: [],
  mappings: 'AAAA',
});

describe('ByteLruCache', () => {
  it('evicts the least recently used entries over the budget', () => {
    const cache = new ByteLruCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('b', 'B', 4);
    cache.get('a');
    cache.set('c', 'C', 4);

    expect(cache.get('b')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
    expect(cache.get('c')).toBe('C');
    expect(cache.totalBytes).toBe(8);
  });

  it('skips an entry larger than the budget', () => {
    const cache = new ByteLruCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('huge', 'H', 11);

    expect(cache.get('huge')).toBeUndefined();
    expect(cache.get('a')).toBe('A');
  });

  it('replaces an entry and its size', () => {
    const cache = new ByteLruCache<string>(10);
    cache.set('a', 'A', 4);
    cache.set('a', 'A2', 6);

    expect(cache.get('a')).toBe('A2');
    expect(cache.totalBytes).toBe(6);
    expect(cache.size).toBe(1);
  });
});

describe('readBlobText', () => {
  let root: string;
  let blobs: LocalBlobStore;

  beforeEach(() => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-artifacts-'));
    blobs = new LocalBlobStore(root);
  });

  afterEach(() => {
    fs.rmSync(root, { recursive: true, force: true });
  });

  it('reads UTF-8 without the byte order mark', async () => {
    const key = createBlobKey('artifacts');
    await blobs.put(key, Buffer.from('\uFEFFconst é = 1;'));

    expect(await readBlobText(blobs, key, 100)).toBe('const é = 1;');
  });

  it('rejects a blob over the limit', async () => {
    const key = createBlobKey('artifacts');
    await blobs.put(key, Buffer.alloc(101, 'a'));

    await expect(readBlobText(blobs, key, 100)).rejects.toBeInstanceOf(ArtifactTooLargeError);
  });

  it('raises for a missing blob', async () => {
    await expect(readBlobText(blobs, createBlobKey('artifacts'), 100)).rejects.toBeInstanceOf(
      BlobNotFoundError,
    );
  });

  it('parses a map once and caches it', async () => {
    const key = createBlobKey('artifacts');
    await blobs.put(key, Buffer.from(MAP));
    const cache = new ArtifactCache(blobs);

    const first = await cache.sourceMap(key, MAP.length);
    fs.rmSync(path.join(root, key));
    const second = await cache.sourceMap(key, MAP.length);

    expect(first.ok).toBe(true);
    expect(second).toBe(first);
    expect(cache.totalBytes).toBeGreaterThan(MAP.length);
  });

  it('reports a map over the size cap without reading it', async () => {
    const cache = new ArtifactCache(blobs);

    expect(await cache.sourceMap(createBlobKey('artifacts'), 65 * 1024 * 1024)).toEqual({
      ok: false,
      failure: 'too_large',
    });
  });

  it('reports an invalid map and a missing blob', async () => {
    const key = createBlobKey('artifacts');
    await blobs.put(key, Buffer.from('{"version":2}'));
    const cache = new ArtifactCache(blobs);

    expect(await cache.sourceMap(key, 13)).toEqual({ ok: false, failure: 'invalid' });
    expect(await cache.sourceMap(createBlobKey('artifacts'), 13)).toEqual({
      ok: false,
      failure: 'unreadable',
    });
  });
});
