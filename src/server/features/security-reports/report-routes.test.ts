/**
 * The security report route in-process over a real SQLite database. The queue keeps its writes
 * in memory and fails writes that contain a marker, so each write of a request is visible.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { createApp } from '../../main/create-app.js';
import { openBlobStore } from '../../platform/blobs/index.js';
import { SecretBox } from '../../platform/crypto/secret-box.js';
import { loadConfig } from '../../platform/config.js';
import { connectDb, migrateToLatest, type Db } from '../../platform/db/index.js';
import { AppError } from '../../platform/errors.js';
import { createLogger } from '../../platform/logger.js';
import type { QueueRecord, QueueWriter } from '../../platform/queue/index.js';
import { OutcomeRecorder } from '../ingest/outcome-recorder.js';

const PUBLIC_KEY = 'a'.repeat(32);
const FAILING_MARKER = 'https://fail.example/';

/** Keeps each write in memory; a write with a record that contains the marker fails whole. */
class MemoryQueue implements QueueWriter {
  writes: QueueRecord[][] = [];

  enqueue(records: QueueRecord[]): Promise<void> {
    if (records.some((record) => record.body.includes(FAILING_MARKER))) {
      return Promise.reject(new AppError(503, 'unavailable', 'Queue write failed'));
    }
    this.writes.push(records);
    return Promise.resolve();
  }

  backlog(): number | undefined {
    return 0;
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  eventWrites(): QueueRecord[][] {
    return this.writes.filter((write) => write.every((record) => record.kind === 'event'));
  }
}

function cspViolation(blockedUrl: string) {
  return {
    type: 'csp-violation',
    url: 'https://shop.example/checkout',
    body: {
      documentURL: 'https://shop.example/checkout',
      effectiveDirective: 'script-src-elem',
      blockedURL: blockedUrl,
      disposition: 'enforce',
    },
  };
}

let dataDir: string;
let db: Db;
let queue: MemoryQueue;
let outcomes: OutcomeRecorder;
let app: FastifyInstance;
let projectId: number;

async function insertProject(database: Db): Promise<number> {
  const now = Date.now();
  const organization = await database.kysely
    .insertInto('organizations')
    .values({ slug: 'acme', name: 'Acme', createdAt: now })
    .returning('id')
    .executeTakeFirstOrThrow();
  const project = await database.kysely
    .insertInto('projects')
    .values({
      organizationId: organization.id,
      slug: 'web',
      name: 'Web',
      platform: 'javascript',
      createdAt: now,
      firstEventAt: null,
      nextShortId: 1,
    })
    .returning('id')
    .executeTakeFirstOrThrow();
  await database.kysely
    .insertInto('projectKeys')
    .values({
      projectId: project.id,
      publicKey: PUBLIC_KEY,
      secretKey: 'b'.repeat(32),
      label: 'Default',
      isActive: 1,
      createdAt: now,
      rateLimitCount: null,
      rateLimitWindow: null,
    })
    .execute();
  return project.id;
}

function postReports(reports: unknown[]) {
  return app.inject({
    method: 'POST',
    url: `/api/${projectId}/security/?sentry_key=${PUBLIC_KEY}`,
    headers: { 'content-type': 'application/reports+json' },
    payload: JSON.stringify(reports),
  });
}

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-security-'));
  db = connectDb({ databaseUrl: undefined, dataDir });
  await migrateToLatest(db.kysely, db.dialect);
  projectId = await insertProject(db);

  const log = createLogger('silent');
  queue = new MemoryQueue();
  outcomes = new OutcomeRecorder(queue, log);
  const config = loadConfig({ PICKET_DATA_DIR: dataDir, PICKET_DISK_MIN_FREE_MB: '0' }, 'ingest');
  app = await createApp({
    config,
    db,
    log,
    queue,
    outcomes,
    blobs: await openBlobStore(config),
    secrets: new SecretBox(randomBytes(32)),
  });
});

beforeEach(() => {
  queue.writes = [];
});

afterAll(async () => {
  await app.close();
  await outcomes.close();
  await db.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('POST /api/:projectId/security/', () => {
  it('queues the reports of one request in one write', async () => {
    const response = await postReports([
      cspViolation('https://cdn-a.example/a.js'),
      cspViolation('https://cdn-b.example/b.js'),
    ]);

    expect(response.statusCode).toBe(200);
    expect(queue.eventWrites()).toHaveLength(1);
    expect(queue.eventWrites()[0]).toHaveLength(2);
  });

  it('queues none of the reports when the write fails', async () => {
    const response = await postReports([
      cspViolation('https://cdn-a.example/a.js'),
      cspViolation(FAILING_MARKER),
    ]);

    expect(response.statusCode).toBe(503);
    expect(queue.eventWrites()).toEqual([]);
  });
});
