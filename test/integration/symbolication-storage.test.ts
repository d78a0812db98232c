/**
 * Symbolication against the database on SQLite and PostgreSQL, without a server: each artifact
 * lookup is served by an index, the top-level stack trace is mapped, and a failed lookup leaves
 * the frames unmapped and the batch's transaction usable.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { NormalizedEvent } from '../../src/server/features/processing/event-types.js';
import { normalizeEvent } from '../../src/server/features/processing/normalize.js';
import { symbolicateEvents } from '../../src/server/features/sourcemaps/symbolicate.js';
import { LocalBlobStore } from '../../src/server/platform/blobs/index.js';
import { createLogger } from '../../src/server/platform/logger.js';

import {
  bundleFilesQuery,
  debugIdFilesQuery,
  releaseBundleFilesQuery,
  releaseFilesQuery,
  releaseIdsQuery,
} from '../../src/server/features/sourcemaps/artifact-lookup.js';
import type { Db } from '../../src/server/platform/db/index.js';
import { createTestProject, explainCompiledQuery, STORAGE_ENGINES } from '../helpers/engines.js';
import { newEventId } from '../helpers/envelopes.js';
import {
  ArtifactWriter,
  buildApp,
  THROW_LINE,
  throwFrames,
  withDebugId,
} from '../helpers/source-maps.js';

const URLS = ['https://cdn.example.com/app.min.js', '~/app.min.js'];
const DEBUG_IDS = ['addcc2e4-c4b9-59cd-a7b6-2e3248fb170f'];
const BUNDLE_URL = 'https://cdn.example.com/assets/storage.min.js';
const log = createLogger('silent');

function normalized(raw: Record<string, unknown>): NormalizedEvent {
  const eventId = newEventId();
  return normalizeEvent(
    { event_id: eventId, ...raw },
    { eventId, receivedAt: Date.now(), sentAt: undefined, clientIp: undefined, client: undefined },
  );
}

describe.each(STORAGE_ENGINES)('artifact lookups on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let projectId: number;
  let blobRoot: string;
  let blobs: LocalBlobStore;
  let debugMeta: Record<string, unknown>;
  let frames: ReturnType<typeof throwFrames>;

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    const project = await createTestProject(db);
    projectId = project.projectId;
    blobRoot = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-symbolication-'));
    blobs = new LocalBlobStore(blobRoot);

    const debugId = randomUUID();
    const bundle = withDebugId(await buildApp(), debugId);
    await new ArtifactWriter(db, blobs).addBundle({
      organizationId: project.organizationId,
      projectIds: [projectId],
      files: [
        { url: '~/assets/storage.min.js', type: 'minified_source', content: bundle.code, debugId },
        {
          url: '~/assets/storage.min.js.map',
          type: 'source_map',
          content: JSON.stringify(bundle.map),
          debugId,
        },
      ],
    });
    frames = throwFrames(bundle.code, BUNDLE_URL);
    debugMeta = { images: [{ type: 'sourcemap', code_file: BUNDLE_URL, debug_id: debugId }] };
  });

  afterAll(async () => {
    await cleanup();
    fs.rmSync(blobRoot, { recursive: true, force: true });
  });

  it('maps the top-level stack trace', async () => {
    const event = normalized({
      platform: 'javascript',
      message: 'stalled',
      stacktrace: { frames },
      debug_meta: debugMeta,
    });

    await db.kysely
      .transaction()
      .execute((trx) =>
        symbolicateEvents([{ projectId, event }], { db: trx, dialect: db.dialect, blobs, log }),
      );

    const top = event.stacktrace?.frames.at(-1);
    expect(top?.lineno).toBe(THROW_LINE);
    expect(top?.data?.symbolication).toMatchObject({ status: 'mapped', resolvedWith: 'debug-id' });
  });

  it('leaves frames unmapped when the lookup fails', async () => {
    const event = normalized({
      platform: 'javascript',
      exception: { values: [{ type: 'RangeError', value: 'x', stacktrace: { frames } }] },
      debug_meta: debugMeta,
    });
    let projectsAfter: unknown;

    await db.kysely
      .transaction()
      .execute(async (trx) => {
        await sql`ALTER TABLE artifact_files RENAME TO artifact_files_hidden`.execute(trx);
        await symbolicateEvents([{ projectId, event }], {
          db: trx,
          dialect: db.dialect,
          blobs,
          log,
        });
        projectsAfter = (await sql`SELECT count(*) AS count FROM projects`.execute(trx)).rows;
        throw new Error('roll back the rename');
      })
      .catch((error: unknown) => {
        if (!(error instanceof Error) || error.message !== 'roll back the rename') {
          throw error;
        }
      });

    const top = event.exception?.values[0]?.stacktrace?.frames.at(-1);
    expect(top?.data?.symbolication).toEqual({
      status: 'unmapped',
      problems: ['artifact_unreadable'],
    });
    expect(top?.lineno).toBe(1);
    expect(projectsAfter).toHaveLength(1);
  });

  /** Returns the plan lines that read a whole table. */
  async function fullScans(query: { compile: () => Parameters<typeof explainCompiledQuery>[1] }) {
    const plan = await explainCompiledQuery(db, query.compile());
    const lines = plan.split('\n');
    return db.dialect === 'sqlite'
      ? lines.filter((line) => /^SCAN \w+$/.test(line.trim()))
      : lines.filter((line) => line.includes('Seq Scan'));
  }

  it('finds releases by project index', async () => {
    expect(await fullScans(releaseIdsQuery(db.kysely, [projectId], ['app@1.0.0']))).toEqual([]);
  });

  it('finds files by debug ID index', async () => {
    expect(await fullScans(debugIdFilesQuery(db.kysely, [projectId], DEBUG_IDS))).toEqual([]);
  });

  it('finds bundle files of a release by index', async () => {
    const query = releaseBundleFilesQuery(db.kysely, [projectId], ['app@1.0.0'], URLS);
    expect(await fullScans(query)).toEqual([]);
  });

  it('finds release files by URL index', async () => {
    expect(await fullScans(releaseFilesQuery(db.kysely, [1], [''], URLS))).toEqual([]);
  });

  it('finds bundle files by URL index', async () => {
    expect(await fullScans(bundleFilesQuery(db.kysely, [1], URLS))).toEqual([]);
  });
});
