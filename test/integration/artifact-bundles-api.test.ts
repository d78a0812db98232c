/**
 * The artifact bundle routes over HTTP, on SQLite and PostgreSQL: the list with its filter,
 * order and cursors, the files of one bundle, both forms of delete, blobs shared between
 * bundles, and scopes. Bundle rows and blobs are written directly, as assembly would.
 */
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  createBlobKey,
  LocalBlobStore,
  type BlobStore,
} from '../../src/server/platform/blobs/index.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import type { ArtifactBundle, ArtifactBundleFile } from '../../src/shared/api/sourcemaps.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiRequest,
  runCli,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const BUNDLE_A = 'a0a0a0a0-1111-4111-8111-000000000001';
const BUNDLE_B = 'b0b0b0b0-2222-4222-8222-000000000002';
const BUNDLE_C = 'c0c0c0c0-3333-4333-8333-000000000003';
const BUNDLE_SHARED = 'd0d0d0d0-4444-4444-8444-000000000004';
const BUNDLE_ELSEWHERE = 'e0e0e0e0-5555-4555-8555-000000000005';
const DEBUG_ID = 'f0f0f0f0-6666-4666-8666-000000000006';

interface BundleFileSpec {
  url: string;
  fileType: string;
  content: string;
  debugId?: string;
  headers?: Record<string, string>;
  /** Reuses the blob of an earlier file instead of writing a new one. */
  blobKey?: string;
}

describe.each(SERVER_ENGINES)('artifact bundle API on $name', (engine) => {
  let picket: PicketInstance;
  let project: TestProject;
  let stranger: TestProject;
  let db: Db;
  let blobs: BlobStore;
  let organizationId: number;
  let secondProjectId: number;
  let secondProjectSlug: string;
  let dateCreated = Date.UTC(2026, 0, 1);

  const base = () => `/api/0/projects/${project.orgSlug}/${project.projectSlug}`;

  async function call(method: string, pathname: string, token = project.token) {
    const response = await fetch(`${picket.url}${pathname}`, {
      method,
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  /** Writes a bundle, its files and their blobs, as assembly does, and returns the blob keys. */
  async function insertBundle(
    bundleId: string,
    projectIds: number[],
    options: { release?: string; dist?: string; files: BundleFileSpec[] },
  ): Promise<string[]> {
    dateCreated += 60_000;
    const bundle = await db.kysely
      .insertInto('artifactBundles')
      .values({
        organizationId,
        bundleId,
        checksum: `${bundleId.replaceAll('-', '').slice(0, 32)}${String(dateCreated).slice(-8)}`,
        release: options.release ?? null,
        dist: options.dist ?? null,
        fileCount: options.files.length,
        size: options.files.reduce((total, file) => total + file.content.length, 0),
        dateCreated,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    for (const projectId of projectIds) {
      await db.kysely
        .insertInto('artifactBundleProjects')
        .values({ bundleId: bundle.id, projectId })
        .execute();
    }

    const keys: string[] = [];
    for (const file of options.files) {
      const blobKey = file.blobKey ?? createBlobKey('artifacts');
      const info =
        file.blobKey === undefined
          ? await blobs.put(blobKey, Buffer.from(file.content))
          : { size: file.content.length, sha1: '0'.repeat(40) };
      await db.kysely
        .insertInto('artifactFiles')
        .values({
          organizationId,
          bundleId: bundle.id,
          releaseId: null,
          dist: options.dist ?? '',
          name: file.url,
          url: file.url,
          fileType: file.fileType,
          debugId: file.debugId ?? null,
          headers: JSON.stringify(file.headers ?? {}),
          blobKey,
          size: info.size,
          sha1: info.sha1,
          dateCreated,
        })
        .execute();
      keys.push(blobKey);
    }
    return keys;
  }

  const blobExists = (key: string) => fs.existsSync(path.join(picket.dataDir, 'blobs', key));

  async function bundleRowCount(bundleId: string) {
    const rows = await db.kysely
      .selectFrom('artifactBundles')
      .select('id')
      .where('bundleId', '=', bundleId)
      .execute();
    return rows.length;
  }

  async function listedIds(query = '', slug = project.projectSlug) {
    const response = await call(
      'GET',
      `/api/0/projects/${project.orgSlug}/${slug}/files/artifact-bundles/${query}`,
    );
    expect(response.status).toBe(200);
    return (response.body as ArtifactBundle[]).map((bundle) => bundle.bundleId);
  }

  beforeAll(async () => {
    const databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    project = await setupProject(picket, 'bundles');
    stranger = await setupProject(picket, 'outsiders');
    db = connectDb({ databaseUrl, dataDir: picket.dataDir });
    blobs = new LocalBlobStore(path.join(picket.dataDir, 'blobs'));

    const organization = await db.kysely
      .selectFrom('organizations')
      .select('id')
      .where('slug', '=', project.orgSlug)
      .executeTakeFirstOrThrow();
    organizationId = organization.id;
    secondProjectSlug = `second-${engine.name}`;
    const second = (await apiRequest(
      picket,
      project.token,
      'POST',
      `/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
      { name: 'Second', slug: secondProjectSlug },
    )) as { id: string };
    secondProjectId = Number(second.id);

    await insertBundle(BUNDLE_A, [project.projectId], {
      release: 'web@1.0.0',
      files: [
        {
          url: '~/assets/app.min.js',
          fileType: 'minified_source',
          content: 'a()',
          debugId: DEBUG_ID,
          headers: { 'debug-id': DEBUG_ID, sourcemap: 'app.min.js.map' },
        },
        {
          url: '~/assets/app.min.js.map',
          fileType: 'source_map',
          content: '{"version":3}',
          debugId: DEBUG_ID,
          headers: { 'debug-id': DEBUG_ID },
        },
      ],
    });
    await insertBundle(BUNDLE_B, [project.projectId], {
      release: 'web@2.0.0',
      dist: 'android',
      files: [{ url: '~/b.js', fileType: 'source', content: 'b' }],
    });
    await insertBundle(BUNDLE_C, [project.projectId], {
      files: [{ url: '~/c.js', fileType: 'source', content: 'c' }],
    });
    await insertBundle(BUNDLE_ELSEWHERE, [secondProjectId], {
      files: [{ url: '~/e.js', fileType: 'source', content: 'e' }],
    });
  }, 60_000);

  afterAll(async () => {
    await db.close();
    await picket.stop();
  });

  it('list returns the project bundles newest first', async () => {
    const response = await call('GET', `${base()}/files/artifact-bundles/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('application/json');
    expect(response.body).toEqual([
      {
        bundleId: BUNDLE_C,
        release: null,
        dist: null,
        fileCount: 1,
        date: new Date(Date.UTC(2026, 0, 1, 0, 3)).toISOString(),
        dateModified: new Date(Date.UTC(2026, 0, 1, 0, 3)).toISOString(),
      },
      expect.objectContaining({ bundleId: BUNDLE_B, release: 'web@2.0.0', dist: 'android' }),
      expect.objectContaining({ bundleId: BUNDLE_A, release: 'web@1.0.0', fileCount: 2 }),
    ]);
  });

  it('list sorts by date_added both ways', async () => {
    expect(await listedIds('?sortBy=date_added')).toEqual([BUNDLE_A, BUNDLE_B, BUNDLE_C]);
    expect(await listedIds('?sortBy=-date_added')).toEqual([BUNDLE_C, BUNDLE_B, BUNDLE_A]);
    expect((await call('GET', `${base()}/files/artifact-bundles/?sortBy=size`)).status).toBe(400);
  });

  it('list filters by bundle ID, release or dist', async () => {
    expect(await listedIds('?query=B0B0B0B0')).toEqual([BUNDLE_B]);
    expect(await listedIds('?query=web%401')).toEqual([BUNDLE_A]);
    expect(await listedIds('?query=web')).toEqual([BUNDLE_B, BUNDLE_A]);
    expect(await listedIds('?query=ANDROID')).toEqual([BUNDLE_B]);
    expect(await listedIds('?query=%25')).toEqual([]);
    expect(await listedIds('?query=nothing')).toEqual([]);
  });

  it('list pages with cursors', async () => {
    const first = await call('GET', `${base()}/files/artifact-bundles/?per_page=2`);
    const second = await call('GET', `${base()}/files/artifact-bundles/?per_page=2&cursor=0:2:0`);

    expect((first.body as ArtifactBundle[]).map((bundle) => bundle.bundleId)).toEqual([
      BUNDLE_C,
      BUNDLE_B,
    ]);
    expect(first.headers.get('link')).toContain('rel="next"; results="true"; cursor="0:2:0"');
    expect((second.body as ArtifactBundle[]).map((bundle) => bundle.bundleId)).toEqual([BUNDLE_A]);
    expect(second.headers.get('link')).toContain('rel="next"; results="false"');
    expect((await call('GET', `${base()}/files/artifact-bundles/?cursor=bad`)).status).toBe(400);
  });

  it('list of another project shows only its bundles', async () => {
    expect(await listedIds('', secondProjectSlug)).toEqual([BUNDLE_ELSEWHERE]);
  });

  it('bundle files list their details', async () => {
    const response = await call('GET', `${base()}/artifact-bundles/${BUNDLE_A}/files/`);

    expect(response.status).toBe(200);
    expect(response.body).toEqual([
      {
        id: expect.stringMatching(/^\d+$/) as unknown,
        filePath: '~/assets/app.min.js',
        fileSize: 3,
        fileType: 'minified_source',
        debugId: DEBUG_ID,
        sourcemap: 'app.min.js.map',
      },
      {
        id: expect.stringMatching(/^\d+$/) as unknown,
        filePath: '~/assets/app.min.js.map',
        fileSize: 13,
        fileType: 'source_map',
        debugId: DEBUG_ID,
        sourcemap: null,
      },
    ]);
  });

  it('bundle files filter and page', async () => {
    const filtered = await call('GET', `${base()}/artifact-bundles/${BUNDLE_A}/files/?query=.MAP`);
    const paged = await call('GET', `${base()}/artifact-bundles/${BUNDLE_A}/files/?per_page=1`);
    const upper = await call('GET', `${base()}/artifact-bundles/${BUNDLE_A.toUpperCase()}/files/`);

    expect((filtered.body as ArtifactBundleFile[]).map((file) => file.filePath)).toEqual([
      '~/assets/app.min.js.map',
    ]);
    expect(paged.body).toHaveLength(1);
    expect(paged.headers.get('link')).toContain('rel="next"; results="true"');
    expect(upper.body).toHaveLength(2);
  });

  it('bundle files of unknown or foreign bundles are 404', async () => {
    expect(
      (await call('GET', `${base()}/artifact-bundles/${BUNDLE_ELSEWHERE}/files/`)).status,
    ).toBe(404);
    expect((await call('GET', `${base()}/artifact-bundles/not-a-bundle/files/`)).status).toBe(404);
  });

  it('delete by query removes rows and blobs', async () => {
    const keys = await insertBundle('10101010-7777-4777-8777-000000000007', [project.projectId], {
      files: [
        { url: '~/gone.js', fileType: 'source', content: 'gone' },
        { url: '~/gone.js.map', fileType: 'source_map', content: '{}' },
      ],
    });
    expect(keys.every(blobExists)).toBe(true);

    const response = await call(
      'DELETE',
      `${base()}/files/artifact-bundles/?bundleId=10101010-7777-4777-8777-000000000007`,
    );

    expect(response.status).toBe(204);
    expect(await bundleRowCount('10101010-7777-4777-8777-000000000007')).toBe(0);
    expect(keys.some(blobExists)).toBe(false);
    expect(await listedIds()).not.toContain('10101010-7777-4777-8777-000000000007');
  });

  it('delete by path segment removes the bundle', async () => {
    const bundleId = '20202020-8888-4888-8888-000000000008';
    const [key] = await insertBundle(bundleId, [project.projectId], {
      files: [{ url: '~/path.js', fileType: 'source', content: 'p' }],
    });

    const response = await call('DELETE', `${base()}/files/artifact-bundles/${bundleId}/`);

    expect(response.status).toBe(204);
    expect(await bundleRowCount(bundleId)).toBe(0);
    expect(blobExists(key ?? '')).toBe(false);
  });

  it('delete keeps a bundle other projects use', async () => {
    const [key] = await insertBundle(BUNDLE_SHARED, [project.projectId, secondProjectId], {
      files: [{ url: '~/shared.js', fileType: 'source', content: 's' }],
    });

    const response = await call(
      'DELETE',
      `${base()}/files/artifact-bundles/?bundleId=${BUNDLE_SHARED}`,
    );

    expect(response.status).toBe(204);
    expect(await listedIds()).not.toContain(BUNDLE_SHARED);
    expect(await listedIds('', secondProjectSlug)).toContain(BUNDLE_SHARED);
    expect(await bundleRowCount(BUNDLE_SHARED)).toBe(1);
    expect(blobExists(key ?? '')).toBe(true);
  });

  it('delete keeps a blob another row names', async () => {
    const [sharedKey] = await insertBundle(
      '30303030-9999-4999-8999-000000000009',
      [secondProjectId],
      {
        files: [{ url: '~/common.js', fileType: 'source', content: 'common' }],
      },
    );
    const ownKeys = await insertBundle(
      '40404040-aaaa-4aaa-8aaa-00000000000a',
      [project.projectId],
      {
        files: [
          { url: '~/common.js', fileType: 'source', content: 'common', blobKey: sharedKey },
          { url: '~/own.js', fileType: 'source', content: 'own' },
        ],
      },
    );

    const response = await call(
      'DELETE',
      `${base()}/files/artifact-bundles/?bundleId=40404040-aaaa-4aaa-8aaa-00000000000a`,
    );

    expect(response.status).toBe(204);
    expect(blobExists(sharedKey ?? '')).toBe(true);
    expect(blobExists(ownKeys[1] ?? '')).toBe(false);
  });

  it('delete of unknown or foreign bundles is 404', async () => {
    expect((await call('DELETE', `${base()}/files/artifact-bundles/`)).status).toBe(404);
    expect(
      (await call('DELETE', `${base()}/files/artifact-bundles/?bundleId=${BUNDLE_ELSEWHERE}`))
        .status,
    ).toBe(404);
    expect(
      (await call('DELETE', `${base()}/files/artifact-bundles/?bundleId=missing`)).status,
    ).toBe(404);
    expect(await bundleRowCount(BUNDLE_ELSEWHERE)).toBe(1);
  });

  it('scopes guard each route', async () => {
    const token = async (scopes: string) => {
      const run = await runCli(['token', 'create', '--user', project.email, '--scopes', scopes], {
        env: picket.env,
      });
      expect(run.code).toBe(0);
      return run.stdout.trim();
    };
    const orgOnly = await token('org:read');
    const readOnly = await token('project:read');
    const list = `${base()}/files/artifact-bundles/`;

    expect((await call('GET', list, orgOnly)).status).toBe(403);
    expect(
      (await call('GET', `${base()}/artifact-bundles/${BUNDLE_A}/files/`, orgOnly)).status,
    ).toBe(403);
    expect((await call('GET', list, readOnly)).status).toBe(200);
    expect((await call('DELETE', `${list}?bundleId=${BUNDLE_A}`, readOnly)).status).toBe(403);
    expect(await bundleRowCount(BUNDLE_A)).toBe(1);
  });

  it('outsiders get 404', async () => {
    const list = `${base()}/files/artifact-bundles/`;

    expect((await call('GET', list, stranger.token)).status).toBe(404);
    expect(
      (await call('GET', `${base()}/artifact-bundles/${BUNDLE_A}/files/`, stranger.token)).status,
    ).toBe(404);
    expect((await call('DELETE', `${list}?bundleId=${BUNDLE_A}`, stranger.token)).status).toBe(404);
    expect(await bundleRowCount(BUNDLE_A)).toBe(1);
  });
});
