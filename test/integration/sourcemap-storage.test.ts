/**
 * The storage behind source-map uploads on SQLite and PostgreSQL: chunks with their blobs,
 * the claiming of assemble tasks by one request at a time, and the cleanup of what uploads
 * leave behind.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { ArtifactWriter } from '../../src/server/features/sourcemaps/artifact-writer.js';
import { AssembleTaskStore } from '../../src/server/features/sourcemaps/assemble-task-store.js';
import { BundleAssembler } from '../../src/server/features/sourcemaps/bundle-assembler.js';
import { ChunkStore, ChunkUploadError } from '../../src/server/features/sourcemaps/chunk-store.js';
import { cleanUpUploads } from '../../src/server/features/sourcemaps/upload-cleanup.js';
import {
  FINISHED_TASK_MS,
  STALE_TASK_MS,
} from '../../src/server/features/sourcemaps/upload-limits.js';
import { LocalBlobStore } from '../../src/server/platform/blobs/index.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createTestProject, STORAGE_ENGINES } from '../helpers/engines.js';

const DAY_MS = 24 * 60 * 60_000;

function sha1(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

async function* streamOf(...pieces: Buffer[]): AsyncGenerator<Buffer> {
  for (const piece of pieces) {
    yield piece;
  }
}

describe.each(STORAGE_ENGINES)('source-map upload storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let organizationId: number;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let chunks: ChunkStore;
  let tasks: AssembleTaskStore;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    ({ organizationId } = await createTestProject(db));
    blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-upload-blobs-'));
    blobs = new LocalBlobStore(blobRoot);
    chunks = new ChunkStore(db.kysely, blobs);
    tasks = new AssembleTaskStore(db.kysely);
  });

  afterAll(async () => {
    await cleanup();
    fs.rmSync(blobRoot, { recursive: true, force: true });
  });

  async function chunkRow(checksum: string) {
    return db.kysely
      .selectFrom('uploadChunks')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where('sha1', '=', checksum)
      .executeTakeFirst();
  }

  describe('ChunkStore', () => {
    it('stores a chunk and lists the missing ones', async () => {
      const content = Buffer.from('chunk one');
      await chunks.store(
        organizationId,
        sha1(content),
        streamOf(content.subarray(0, 3), content.subarray(3)),
      );
      const absent = sha1(Buffer.from('never uploaded'));

      expect(await chunks.findMissing(organizationId, [sha1(content), absent, absent])).toEqual([
        absent,
      ]);
      expect(Number((await chunkRow(sha1(content)))?.size)).toBe(content.length);
    });

    it('rejects content that does not hash to its name', async () => {
      const named = sha1(Buffer.from('expected'));
      await expect(
        chunks.store(organizationId, named, streamOf(Buffer.from('actual'))),
      ).rejects.toBeInstanceOf(ChunkUploadError);
      expect(await chunkRow(named)).toBeUndefined();
    });

    it('opens chunks in the order given', async () => {
      const first = Buffer.from('first ');
      const second = Buffer.from('second');
      await chunks.store(organizationId, sha1(first), streamOf(first));
      await chunks.store(organizationId, sha1(second), streamOf(second));

      const pieces: Buffer[] = [];
      for await (const stream of chunks.open(organizationId, [
        sha1(second),
        sha1(first),
        sha1(second),
      ])) {
        for await (const piece of stream) {
          pieces.push(piece as Buffer);
        }
      }
      expect(Buffer.concat(pieces).toString()).toBe('secondfirst second');
    });

    it('deletes unused chunks with their blobs', async () => {
      const old = Buffer.from('old chunk');
      const recent = Buffer.from('recent chunk');
      await chunks.store(organizationId, sha1(old), streamOf(old));
      await chunks.store(organizationId, sha1(recent), streamOf(recent));
      const oldKey = (await chunkRow(sha1(old)))!.blobKey;
      await db.kysely
        .updateTable('uploadChunks')
        .set({ dateCreated: Date.now() - 2 * DAY_MS })
        .where('sha1', '=', sha1(old))
        .execute();

      expect(await chunks.deleteUnusedBefore(Date.now() - DAY_MS)).toBe(1);
      expect(await chunkRow(sha1(old))).toBeUndefined();
      expect(await blobs.size(oldKey)).toBeUndefined();
      expect(await chunkRow(sha1(recent))).toBeDefined();
    });

    it('keeps a chunk that a request touched', async () => {
      const reused = Buffer.from('reused chunk');
      await chunks.store(organizationId, sha1(reused), streamOf(reused));
      await db.kysely
        .updateTable('uploadChunks')
        .set({ dateCreated: Date.now() - 2 * DAY_MS })
        .where('sha1', '=', sha1(reused))
        .execute();
      await chunks.touch(organizationId, [sha1(reused)]);

      await chunks.deleteUnusedBefore(Date.now() - DAY_MS);
      expect(await chunkRow(sha1(reused))).toBeDefined();
    });
  });

  describe('AssembleTaskStore', () => {
    const key = (checksum: string) =>
      ({ organizationId, kind: 'artifact_bundle', checksum }) as const;

    it('lets one of two concurrent requests claim a task', async () => {
      const task = key('1'.repeat(40));
      const claims = await Promise.all([tasks.claim(task), tasks.claim(task)]);
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect(await tasks.findCurrent(task)).toMatchObject({ state: 'created', detail: null });
    });

    it('keeps release and artifact tasks apart', async () => {
      const checksum = '2'.repeat(40);
      expect(await tasks.claim(key(checksum))).toBe(true);
      expect(await tasks.claim({ ...key(checksum), kind: 'release_bundle' })).toBe(true);
    });

    it('reclaims a task without a recent heartbeat', async () => {
      const task = key('3'.repeat(40));
      const start = Date.now();
      expect(await tasks.claim(task, start)).toBe(true);
      await tasks.update(task, 'assembling');

      expect(await tasks.claim(task, Date.now() + STALE_TASK_MS - 1000)).toBe(false);
      const later = Date.now() + STALE_TASK_MS + 1000;
      expect(await tasks.findCurrent(task, later)).toBeUndefined();
      expect(await tasks.claim(task, later)).toBe(true);
    });

    it('renews a task without changing its state', async () => {
      const task = key('9'.repeat(40));
      expect(await tasks.claim(task, Date.now() - STALE_TASK_MS + 1000)).toBe(true);
      await tasks.renew(task);

      const renewed = await tasks.findCurrent(task, Date.now() + STALE_TASK_MS - 5000);
      expect(renewed?.state).toBe('created');
    });

    it('returns a finished task until it expires', async () => {
      const task = key('4'.repeat(40));
      expect(await tasks.claim(task)).toBe(true);
      await tasks.update(task, 'error', 'manifest.json is missing');

      expect(await tasks.findCurrent(task)).toMatchObject({
        state: 'error',
        detail: 'manifest.json is missing',
      });
      expect(await tasks.claim(task)).toBe(false);
      const later = Date.now() + FINISHED_TASK_MS + 1000;
      expect(await tasks.findCurrent(task, later)).toBeUndefined();
      expect(await tasks.claim(task, later)).toBe(true);
    });
  });

  describe('BundleAssembler', () => {
    it('drops started jobs when it closes', async () => {
      const tempFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-assemble-'));
      const assembler = new BundleAssembler({
        chunks,
        tasks,
        writer: new ArtifactWriter(db.kysely, blobs, pino({ level: 'silent' })),
        tempFolder,
        log: pino({ level: 'silent' }),
      });
      const checksums = ['6', '7', '8'].map((digit) => digit.repeat(40));
      const keys = checksums.map(
        (checksum) => ({ organizationId, kind: 'artifact_bundle', checksum }) as const,
      );
      for (const key of keys) {
        expect(await tasks.claim(key)).toBe(true);
      }
      // Start and close with no await in between, so that no job reaches its chunks (which
      // are not stored) before the shutdown.
      for (const key of keys) {
        assembler.start({
          ...key,
          chunks: [key.checksum],
          projectIds: [],
          release: null,
          dist: null,
        });
      }
      await assembler.close();

      for (const checksum of checksums) {
        const key = { organizationId, kind: 'artifact_bundle', checksum } as const;
        expect(await tasks.findCurrent(key)).toBeUndefined();
      }
      expect(fs.readdirSync(tempFolder)).toEqual([]);
      fs.rmSync(tempFolder, { recursive: true, force: true });
    });
  });

  describe('cleanUpUploads', () => {
    it('removes old chunks, tasks and temporary files', async () => {
      const tempFolder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-assemble-'));
      const leftover = path.join(tempFolder, 'old.bundle');
      const current = path.join(tempFolder, 'current.bundle');
      fs.writeFileSync(leftover, 'partial bundle');
      fs.writeFileSync(current, 'bundle in progress');
      const old = (Date.now() - 2 * DAY_MS) / 1000;
      fs.utimesSync(leftover, old, old);

      const task = { organizationId, kind: 'release_bundle', checksum: '5'.repeat(40) } as const;
      await tasks.claim(task, Date.now() - 2 * DAY_MS);
      const stale = Buffer.from('chunk of an abandoned upload');
      await chunks.store(organizationId, sha1(stale), streamOf(stale));
      await db.kysely
        .updateTable('uploadChunks')
        .set({ dateCreated: Date.now() - 2 * DAY_MS })
        .where('sha1', '=', sha1(stale))
        .execute();

      const counts = await cleanUpUploads({
        chunks,
        tasks,
        tempFolder,
        log: pino({ level: 'silent' }),
      });

      expect(counts).toMatchObject({ tempFiles: 1 });
      expect(counts?.chunks).toBeGreaterThanOrEqual(1);
      expect(counts?.tasks).toBeGreaterThanOrEqual(1);
      expect(fs.existsSync(leftover)).toBe(false);
      expect(fs.existsSync(current)).toBe(true);
      expect(await chunkRow(sha1(stale))).toBeUndefined();
      fs.rmSync(tempFolder, { recursive: true, force: true });
    });
  });
});
