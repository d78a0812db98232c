/**
 * The source-map upload protocol of sentry-cli over HTTP, on SQLite and PostgreSQL. Covers
 * chunk upload (raw and gzip, limits, checksums) and both assemble endpoints with Sentry's
 * missing-chunk negotiation and states. Checks the rows and blobs an assembly stores and the
 * scopes of each route, and replays recorded sentry-cli requests byte for byte.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalBlobStore } from '../../src/server/platform/blobs/index.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiRequest,
  runCli,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { buildSourceBundle, type BundleFileSpec } from '../helpers/zip-writer.js';

const CAPTURES = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../fixtures/sdk-captures',
);
const MIB = 1024 * 1024;
const BOUNDARY = 'picket-chunk-boundary';
const DEBUG_ID = 'addcc2e4-c4b9-59cd-a7b6-2e3248fb170f';

interface Part {
  field?: string;
  filename: string;
  content: Buffer;
}

interface Reply {
  status: number;
  body: unknown;
}

interface AssembleReply {
  state: string;
  missingChunks: string[];
  detail?: string | null;
}

interface RecordedRequest {
  headers: Record<string, string>;
  body_base64?: string;
  json?: Record<string, unknown>;
}

function sha1(content: Buffer): string {
  return createHash('sha1').update(content).digest('hex');
}

function multipart(parts: Part[]): Buffer {
  const pieces: Buffer[] = [];
  for (const part of parts) {
    pieces.push(
      Buffer.from(
        `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${part.field ?? 'file'}"; filename="${part.filename}"\r\nContent-Type: application/octet-stream\r\n\r\n`,
      ),
      part.content,
      Buffer.from('\r\n'),
    );
  }
  pieces.push(Buffer.from(`--${BOUNDARY}--\r\n`));
  return Buffer.concat(pieces);
}

function rawChunk(content: Buffer): Part {
  return { filename: sha1(content), content };
}

function gzipChunk(content: Buffer): Part {
  return { field: 'file_gzip', filename: sha1(content), content: gzipSync(content) };
}

function readCapture(name: string): RecordedRequest {
  return JSON.parse(fs.readFileSync(path.join(CAPTURES, name), 'utf8')) as RecordedRequest;
}

/** Builds a small bundle with a minified file and its map, both carrying `debugId`. */
function appBundle(marker: string, manifest: Record<string, unknown> = {}): Buffer {
  const files: BundleFileSpec[] = [
    {
      path: 'files/_/_/assets/app.min.js',
      url: '~/assets/app.min.js',
      content: `console.log(${JSON.stringify(marker)});\n//# debugId=${DEBUG_ID}\n`,
      headers: { 'debug-id': DEBUG_ID.toUpperCase(), Sourcemap: 'app.min.js.map' },
    },
    {
      path: 'files/_/_/assets/app.min.js.map',
      url: '~/assets/app.min.js.map',
      type: 'source_map',
      content: JSON.stringify({
        version: 3,
        sources: ['app.js'],
        mappings: 'AAAA',
        debugId: DEBUG_ID,
      }),
      headers: { 'debug-id': DEBUG_ID },
    },
  ];
  return buildSourceBundle(files, manifest);
}

describe.each(SERVER_ENGINES)('source-map uploads on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let rival: TestProject;
  let db: Db;
  let blobs: LocalBlobStore;

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket({ databaseUrl: url });
    project = await setupProject(picket, 'upl');
    rival = await setupProject(picket, 'rival');
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir });
    blobs = new LocalBlobStore(path.join(picket.dataDir, 'blobs'));
  }, 60_000);

  afterAll(async () => {
    await db?.close();
    await picket?.stop();
  });

  const org = (target = project) => `/api/0/organizations/${target.orgSlug}`;

  async function send(
    method: string,
    pathname: string,
    options: { token?: string; json?: unknown; body?: Buffer; contentType?: string } = {},
  ): Promise<Reply> {
    const headers: Record<string, string> = {
      authorization: `Bearer ${options.token ?? project.token}`,
    };
    let body: Uint8Array<ArrayBuffer> | string | undefined =
      options.body === undefined ? undefined : new Uint8Array(options.body);
    if (options.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(options.json);
    } else if (options.contentType !== undefined) {
      headers['content-type'] = options.contentType;
    }
    const response = await fetch(`${picket.url}${pathname}`, { method, headers, body });
    const text = await response.text();
    return {
      status: response.status,
      body: text === '' ? undefined : (JSON.parse(text) as unknown),
    };
  }

  function postChunks(parts: Part[], token?: string, target = project): Promise<Reply> {
    return send('POST', `${org(target)}/chunk-upload/`, {
      token,
      body: multipart(parts),
      contentType: `multipart/form-data; boundary=${BOUNDARY}`,
    });
  }

  async function assemble(body: Record<string, unknown>, token?: string): Promise<Reply> {
    return send('POST', `${org()}/artifactbundle/assemble/`, { token, json: body });
  }

  /** Uploads a file as chunks of `chunkBytes` and returns its assemble request body. */
  async function uploadFile(file: Buffer, chunkBytes = file.length) {
    const chunks: Buffer[] = [];
    for (let start = 0; start < file.length; start += chunkBytes) {
      chunks.push(file.subarray(start, start + chunkBytes));
    }
    const reply = await postChunks(chunks.map(rawChunk));
    expect(reply.status).toBe(200);
    return { checksum: sha1(file), chunks: chunks.map(sha1), projects: [project.projectSlug] };
  }

  /** Calls an assemble endpoint until the task is finished and returns the last reply. */
  function waitForResult(call: () => Promise<Reply>): Promise<AssembleReply> {
    return waitFor(async () => {
      const reply = await call();
      const body = reply.body as AssembleReply;
      return body.state === 'ok' || body.state === 'error' ? body : undefined;
    });
  }

  async function bundleRows(checksum: string) {
    return db.kysely
      .selectFrom('artifactBundles')
      .selectAll()
      .where('checksum', '=', checksum)
      .execute();
  }

  async function bundleFiles(checksum: string) {
    return db.kysely
      .selectFrom('artifactFiles')
      .innerJoin('artifactBundles', 'artifactBundles.id', 'artifactFiles.bundleId')
      .select([
        'artifactFiles.name',
        'artifactFiles.url',
        'artifactFiles.fileType',
        'artifactFiles.debugId',
        'artifactFiles.headers',
        'artifactFiles.dist',
        'artifactFiles.blobKey',
        'artifactFiles.sha1',
        'artifactFiles.size',
      ])
      .where('artifactBundles.checksum', '=', checksum)
      .orderBy('artifactFiles.name')
      .execute();
  }

  async function findChunk(organizationSlug: string, checksum: string) {
    return db.kysely
      .selectFrom('uploadChunks')
      .innerJoin('organizations', 'organizations.id', 'uploadChunks.organizationId')
      .select(['uploadChunks.blobKey', 'uploadChunks.size', 'uploadChunks.dateCreated'])
      .where('organizations.slug', '=', organizationSlug)
      .where('uploadChunks.sha1', '=', checksum)
      .executeTakeFirst();
  }

  async function readBlob(key: string): Promise<Buffer> {
    const pieces: Buffer[] = [];
    for await (const piece of await blobs.open(key)) {
      pieces.push(piece as Buffer);
    }
    return Buffer.concat(pieces);
  }

  async function tokenWith(scopes: string): Promise<string> {
    const run = await runCli(['token', 'create', '--user', project.email, '--scopes', scopes], {
      env: picket.env,
    });
    expect(run.code, run.stderr).toBe(0);
    return run.stdout.trim();
  }

  describe('chunk upload', () => {
    it('returns the options sentry-cli reads', async () => {
      const reply = await send('GET', `${org()}/chunk-upload/`);
      expect(reply.status).toBe(200);
      expect(reply.body).toEqual({
        url: `${picket.url}/api/0/organizations/${project.orgSlug}/chunk-upload/`,
        chunkSize: 8 * MIB,
        chunksPerRequest: 64,
        maxFileSize: 2048 * MIB,
        maxRequestSize: 32 * MIB,
        concurrency: 8,
        hashAlgorithm: 'sha1',
        compression: ['gzip'],
        accept: [
          'debug_files',
          'release_files',
          'sources',
          'artifact_bundles',
          'artifact_bundles_v2',
        ],
      });
    });

    it('stores a raw chunk', async () => {
      const content = Buffer.from('raw chunk \u0000\r\n with binary \xff bytes');
      const reply = await postChunks([rawChunk(content)]);
      expect(reply.status).toBe(200);
      expect(reply.body).toBeUndefined();
      const row = await findChunk(project.orgSlug, sha1(content));
      expect(Number(row?.size)).toBe(content.length);
      expect((await readBlob(row!.blobKey)).equals(content)).toBe(true);
    });

    it('stores a gzip chunk uncompressed', async () => {
      const content = Buffer.from('gzip chunk '.repeat(1000));
      const reply = await postChunks([gzipChunk(content)]);
      expect(reply.status).toBe(200);
      const row = await findChunk(project.orgSlug, sha1(content));
      expect(Number(row?.size)).toBe(content.length);
      expect((await readBlob(row!.blobKey)).equals(content)).toBe(true);
    });

    it('keeps a repeated chunk once', async () => {
      const content = Buffer.from('sent twice');
      expect((await postChunks([rawChunk(content)])).status).toBe(200);
      const first = await findChunk(project.orgSlug, sha1(content));
      expect((await postChunks([rawChunk(content), gzipChunk(content)])).status).toBe(200);
      const second = await findChunk(project.orgSlug, sha1(content));
      expect(second?.blobKey).toBe(first?.blobKey);
      expect(Number(second?.dateCreated)).toBeGreaterThanOrEqual(Number(first?.dateCreated));
    });

    it('keeps chunks apart per organization', async () => {
      const content = Buffer.from('only in the rival organization');
      expect((await postChunks([rawChunk(content)], rival.token, rival)).status).toBe(200);
      expect(await findChunk(rival.orgSlug, sha1(content))).toBeDefined();
      expect(await findChunk(project.orgSlug, sha1(content))).toBeUndefined();
    });

    it('rejects a checksum mismatch', async () => {
      const content = Buffer.from('the real bytes');
      const wrong = sha1(Buffer.from('other bytes'));
      const reply = await postChunks([{ filename: wrong, content }]);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(/^Checksum mismatch: /);
      expect(await findChunk(project.orgSlug, wrong)).toBeUndefined();
      expect(await findChunk(project.orgSlug, sha1(content))).toBeUndefined();
    });

    it('rejects a gzip chunk that does not hash to its name', async () => {
      const content = Buffer.from('compressed bytes');
      const part = { ...gzipChunk(content), filename: sha1(gzipSync(content)) };
      const reply = await postChunks([part]);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(/^Checksum mismatch: /);
    });

    it('rejects a chunk name that is no SHA-1', async () => {
      const reply = await postChunks([{ filename: 'app.min.js', content: Buffer.from('x') }]);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(/^Invalid chunk name "app\.min\.js"/);
    });

    it('rejects invalid gzip data', async () => {
      const content = Buffer.from('not gzip at all');
      const reply = await postChunks([{ field: 'file_gzip', filename: sha1(content), content }]);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(
        /^Failed to read chunk [0-9a-f]{40}: /,
      );
    });

    it('rejects a raw chunk over 8 MiB', async () => {
      const content = Buffer.alloc(8 * MIB + 1, 1);
      const reply = await postChunks([rawChunk(content)]);
      expect(reply).toEqual({ status: 400, body: { error: 'Chunk size too large' } });
      expect(await findChunk(project.orgSlug, sha1(content))).toBeUndefined();
    });

    it('rejects a gzip chunk that inflates past 8 MiB', async () => {
      const content = Buffer.alloc(64 * MIB);
      const reply = await postChunks([gzipChunk(content)]);
      expect(reply).toEqual({ status: 400, body: { error: 'Chunk size too large' } });
    });

    it('rejects chunks over 32 MiB together', async () => {
      const parts = [1, 2, 3, 4, 5].map((fill) => gzipChunk(Buffer.alloc(7 * MIB, fill)));
      const reply = await postChunks(parts);
      expect(reply).toEqual({ status: 400, body: { error: 'Request too large' } });
    });

    it('rejects a body over 32 MiB on the wire', async () => {
      const parts = [1, 2, 3, 4, 5].map((fill) => rawChunk(Buffer.alloc(7 * MIB, fill)));
      const reply = await postChunks(parts);
      expect(reply).toEqual({ status: 400, body: { error: 'Request too large' } });
    });

    it('rejects more than 64 chunks', async () => {
      const part = rawChunk(Buffer.from('one of many'));
      const reply = await postChunks(Array.from({ length: 65 }, () => part));
      expect(reply).toEqual({ status: 400, body: { error: 'Too many chunks' } });
    });

    it('accepts a request without chunks', async () => {
      expect((await postChunks([])).status).toBe(200);
    });

    it('rejects a body that is not multipart', async () => {
      const reply = await send('POST', `${org()}/chunk-upload/`, { json: { file: 'x' } });
      expect(reply.status).toBe(400);
      expect((reply.body as { detail: string }).detail).toMatch(/multipart\/form-data/);
    });

    it('stores the gzip chunk sentry-cli 3.8.0 sent', async () => {
      const capture = readCapture('sentry-cli-gzip/003-POST-org-chunk-upload.json');
      const reply = await send('POST', `${org(rival)}/chunk-upload/`, {
        token: rival.token,
        body: Buffer.from(capture.body_base64!, 'base64'),
        contentType: capture.headers['content-type'],
      });
      expect(reply.status).toBe(200);
      const row = await findChunk(rival.orgSlug, '5581f40d0720a5eb67453f3c05f93ae84c405869');
      expect(Number(row?.size)).toBe(1211);
    });
  });

  describe('artifact bundle assemble', () => {
    it.each([
      [{ chunks: [], projects: ['p'] }, /^checksum: /],
      [{ checksum: 'ABC', chunks: [], projects: ['p'] }, /^checksum: must be 40 lower-case hex/],
      [{ checksum: 'a'.repeat(40), chunks: ['xyz'], projects: ['p'] }, /^chunks\.0: must be 40/],
      [{ checksum: 'a'.repeat(40), chunks: [], projects: [] }, /^projects: must name at least one/],
      [{ checksum: 'a'.repeat(40), chunks: [] }, /^projects: /],
      [
        { checksum: 'a'.repeat(40), chunks: [], projects: ['p'], version: 'a/b' },
        /^version: must not contain a slash/,
      ],
      [
        { checksum: 'a'.repeat(40), chunks: [], projects: ['p'], dist: 'web' },
        /^dist: You need to specify a release together with a dist$/,
      ],
    ])('rejects the body %j', async (body, expected) => {
      const reply = await assemble(body);
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(expected);
    });

    it('rejects an unknown project', async () => {
      const body = {
        checksum: 'b'.repeat(40),
        chunks: [],
        projects: [project.projectSlug, 'nope'],
      };
      expect(await assemble(body)).toEqual({
        status: 400,
        body: { error: 'One or more projects are invalid' },
      });
    });

    it('rejects a project of another organization', async () => {
      const body = { checksum: 'b'.repeat(40), chunks: [], projects: [String(rival.projectId)] };
      expect((await assemble(body)).status).toBe(400);
    });

    it('negotiates missing chunks, then assembles', async () => {
      const file = appBundle('negotiation', { release: 'from-manifest' });
      const half = Math.ceil(file.length / 2);
      const chunks = [file.subarray(0, half), file.subarray(half)];
      const body = {
        checksum: sha1(file),
        chunks: chunks.map(sha1),
        projects: [project.projectSlug],
        version: 'app@1.0.0',
        dist: 'web',
      };

      expect((await assemble(body)).body).toEqual({
        state: 'not_found',
        missingChunks: chunks.map(sha1),
      });
      expect((await postChunks([rawChunk(chunks[0]!)])).status).toBe(200);
      expect((await assemble(body)).body).toEqual({
        state: 'not_found',
        missingChunks: [sha1(chunks[1]!)],
      });
      expect((await postChunks([gzipChunk(chunks[1]!)])).status).toBe(200);
      expect((await assemble(body)).body).toEqual({ state: 'created', missingChunks: [] });

      const result = await waitForResult(() => assemble(body));
      expect(result).toEqual({ state: 'ok', detail: null, missingChunks: [] });

      const [bundle] = await bundleRows(body.checksum);
      expect(bundle).toMatchObject({ release: 'app@1.0.0', dist: 'web', fileCount: 2 });
      const files = await bundleFiles(body.checksum);
      expect(files.map(({ blobKey: _key, sha1: _sha1, size: _size, ...rest }) => rest)).toEqual([
        {
          name: 'files/_/_/assets/app.min.js',
          url: '~/assets/app.min.js',
          fileType: 'minified_source',
          debugId: DEBUG_ID,
          headers: JSON.stringify({
            'debug-id': DEBUG_ID.toUpperCase(),
            sourcemap: 'app.min.js.map',
          }),
          dist: 'web',
        },
        {
          name: 'files/_/_/assets/app.min.js.map',
          url: '~/assets/app.min.js.map',
          fileType: 'source_map',
          debugId: DEBUG_ID,
          headers: JSON.stringify({ 'debug-id': DEBUG_ID }),
          dist: 'web',
        },
      ]);
      const minified = await readBlob(files[0]!.blobKey);
      expect(minified.toString()).toContain('console.log("negotiation")');
      expect(sha1(minified)).toBe(files[0]!.sha1);
      expect(Number(files[0]!.size)).toBe(minified.length);
    });

    it('takes release and dist from the manifest without a version', async () => {
      const file = appBundle('manifest release', { release: 'm@2', dist: 'ios' });
      const body = await uploadFile(file);
      expect((await assemble(body)).body).toMatchObject({ state: 'created' });
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      const [bundle] = await bundleRows(body.checksum);
      expect(bundle).toMatchObject({ release: 'm@2', dist: 'ios' });
    });

    it('assembles the same bundle again without a second copy', async () => {
      const file = appBundle('twice');
      const body = await uploadFile(file);
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      const filesBefore = await bundleFiles(body.checksum);

      // Once the finished task expires, a request assembles again.
      await db.kysely.deleteFrom('assembleTasks').where('checksum', '=', body.checksum).execute();
      expect((await assemble(body)).body).toMatchObject({ state: 'created' });
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });

      expect(await bundleRows(body.checksum)).toHaveLength(1);
      expect(await bundleFiles(body.checksum)).toEqual(filesBefore);
    });

    it('assembles again after the bundle was deleted', async () => {
      const body = await uploadFile(appBundle('deleted'));
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      await db.kysely.deleteFrom('artifactBundles').where('checksum', '=', body.checksum).execute();

      expect((await assemble(body)).body).toEqual({ state: 'created', missingChunks: [] });
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      expect(await bundleFiles(body.checksum)).toHaveLength(2);
    });

    it('assembles several bundles at once', async () => {
      const bodies = [];
      for (const index of [1, 2, 3, 4, 5]) {
        bodies.push(await uploadFile(appBundle(`parallel ${index}`)));
      }
      const first = await Promise.all(bodies.map((body) => assemble(body)));
      expect(first.map((reply) => (reply.body as AssembleReply).state)).toEqual(
        bodies.map(() => 'created'),
      );

      const results = await Promise.all(bodies.map((body) => waitForResult(() => assemble(body))));
      expect(results.map((result) => result.state)).toEqual(bodies.map(() => 'ok'));
      for (const body of bodies) {
        expect(await bundleFiles(body.checksum)).toHaveLength(2);
      }
    });

    it('links a finished bundle to the projects of a later request', async () => {
      const second = (await apiRequest(
        picket,
        project.token,
        'POST',
        `/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
        { name: 'Second', slug: 'second' },
      )) as { id: string };
      const body = await uploadFile(appBundle('two projects'));
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      expect(await assemble({ ...body, projects: ['second'] })).toMatchObject({
        body: { state: 'ok' },
      });

      const [bundle] = await bundleRows(body.checksum);
      const links = await db.kysely
        .selectFrom('artifactBundleProjects')
        .select('projectId')
        .where('bundleId', '=', bundle!.id)
        .orderBy('projectId')
        .execute();
      expect(links.map((link) => Number(link.projectId))).toEqual([
        project.projectId,
        Number(second.id),
      ]);
    });

    it('reports a manifest that lists a missing file', async () => {
      const manifest = {
        files: { 'files/_/_/gone.js': { type: 'minified_source', url: '~/gone.js' } },
      };
      const body = await uploadFile(buildSourceBundle([], manifest));
      expect((await assemble(body)).body).toMatchObject({ state: 'created' });
      expect(await waitForResult(() => assemble(body))).toEqual({
        state: 'error',
        detail: 'manifest.json lists "files/_/_/gone.js", but the bundle has no such file',
        missingChunks: [],
      });
      expect(await bundleRows(body.checksum)).toEqual([]);
    });

    it('reports chunks that do not make the checksum', async () => {
      const file = appBundle('checksum');
      const body = await uploadFile(file);
      const wrong = { ...body, checksum: sha1(Buffer.from('another file')) };
      expect((await assemble(wrong)).body).toMatchObject({ state: 'created' });
      const result = await waitForResult(() => assemble(wrong));
      expect(result.state).toBe('error');
      expect(result.detail).toMatch(
        /^The assembled file has the SHA-1 [0-9a-f]{40}, not the checksum/,
      );
    });

    it('reports an upload that is no source bundle', async () => {
      const body = await uploadFile(Buffer.from('just some text, no SYSB header'));
      const result = await waitForResult(async () => {
        const reply = await assemble(body);
        return reply;
      });
      expect(result.state).toBe('error');
      expect(result.detail).toMatch(/does not start with the SYSB header/);
    });

    it('returns a running task as assembling', async () => {
      const checksum = 'c'.repeat(40);
      const organization = await db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('slug', '=', project.orgSlug)
        .executeTakeFirstOrThrow();
      await db.kysely
        .insertInto('assembleTasks')
        .values({
          organizationId: organization.id,
          kind: 'artifact_bundle',
          checksum,
          state: 'assembling',
          detail: null,
          dateUpdated: Date.now(),
        })
        .execute();
      const body = { checksum, chunks: [checksum], projects: [project.projectSlug] };
      expect((await assemble(body)).body).toEqual({
        state: 'assembling',
        detail: null,
        missingChunks: [],
      });
    });

    it('restarts a task abandoned while assembling', async () => {
      const body = await uploadFile(appBundle('abandoned'));
      const organization = await db.kysely
        .selectFrom('organizations')
        .select('id')
        .where('slug', '=', project.orgSlug)
        .executeTakeFirstOrThrow();
      await db.kysely
        .insertInto('assembleTasks')
        .values({
          organizationId: organization.id,
          kind: 'artifact_bundle',
          checksum: body.checksum,
          state: 'assembling',
          detail: null,
          dateUpdated: Date.now() - 10 * 60_000,
        })
        .execute();

      expect((await assemble(body)).body).toEqual({ state: 'created', missingChunks: [] });
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      expect(await bundleRows(body.checksum)).toHaveLength(1);
    });

    it('assembles the bundle sentry-cli 3.8.0 uploaded', async () => {
      const chunk = readCapture('sentry-cli/004-POST-org-chunk-upload.json');
      const request = readCapture('sentry-cli/003-POST-org-artifactbundle-assemble.json').json!;
      const uploaded = await send('POST', `${org()}/chunk-upload/`, {
        body: Buffer.from(chunk.body_base64!, 'base64'),
        contentType: chunk.headers['content-type'],
      });
      expect(uploaded.status).toBe(200);

      const body = { ...request, projects: [project.projectSlug] };
      expect((await assemble(body)).body).toEqual({ state: 'created', missingChunks: [] });
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });

      const files = await bundleFiles(request.checksum as string);
      expect(files.map((file) => [file.url, file.fileType, file.debugId])).toEqual([
        ['~/app.min.js', 'minified_source', '5289b38f-53df-57ca-af93-e8169aae4bb6'],
        ['~/app.min.js.map', 'source_map', '5289b38f-53df-57ca-af93-e8169aae4bb6'],
      ]);
      const [bundle] = await bundleRows(request.checksum as string);
      expect(bundle).toMatchObject({
        bundleId: '4f7977d5-f5d2-5121-9003-b254e5a3e9af',
        release: '1.0',
      });

      const projectPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}`;
      const listed = (await apiRequest(
        picket,
        project.token,
        'GET',
        `${projectPath}/artifact-bundles/4f7977d5-f5d2-5121-9003-b254e5a3e9af/files/`,
      )) as { filePath: string; fileType: string; debugId: string | null }[];
      expect(listed.map((file) => [file.filePath, file.fileType, file.debugId])).toEqual([
        ['~/app.min.js', 'minified_source', '5289b38f-53df-57ca-af93-e8169aae4bb6'],
        ['~/app.min.js.map', 'source_map', '5289b38f-53df-57ca-af93-e8169aae4bb6'],
      ]);
    });

    it('assembles the bundle sentry-cli 2.58.6 uploaded', async () => {
      const chunk = readCapture('esbuild-plugin-upload/006-POST-org-chunk-upload.json');
      const request = readCapture(
        'esbuild-plugin-upload/007-POST-org-artifactbundle-assemble.json',
      ).json!;
      const uploaded = await send('POST', `${org()}/chunk-upload/`, {
        body: Buffer.from(chunk.body_base64!, 'base64'),
        contentType: chunk.headers['content-type'],
      });
      expect(uploaded.status).toBe(200);

      const body = { ...request, projects: [project.projectSlug] };
      expect(await waitForResult(() => assemble(body))).toMatchObject({ state: 'ok' });
      const files = await bundleFiles(request.checksum as string);
      expect(files.length).toBeGreaterThan(0);
      for (const file of files) {
        expect(file.debugId).toMatch(
          /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/,
        );
        expect(file.url).toMatch(/^~\//);
      }
    });
  });

  describe('release assemble', () => {
    const releaseAssemble = (version: string, body: unknown, token?: string) =>
      send('POST', `${org()}/releases/${encodeURIComponent(version)}/assemble/`, {
        token,
        json: body,
      });

    async function releaseFiles(version: string) {
      return db.kysely
        .selectFrom('artifactFiles')
        .innerJoin('releases', 'releases.id', 'artifactFiles.releaseId')
        .select([
          'artifactFiles.name',
          'artifactFiles.url',
          'artifactFiles.fileType',
          'artifactFiles.debugId',
          'artifactFiles.dist',
          'artifactFiles.bundleId',
          'artifactFiles.blobKey',
        ])
        .where('releases.version', '=', version)
        .orderBy('artifactFiles.name')
        .execute();
    }

    async function createRelease(version: string) {
      await apiRequest(picket, project.token, 'POST', `${org()}/releases/`, {
        version,
        projects: [project.projectSlug],
      });
    }

    it('stores the files as release files', async () => {
      const version = 'legacy@1.0';
      await createRelease(version);
      const file = appBundle('release one', { release: version, dist: 'web' });
      const { checksum, chunks } = await uploadFile(file);

      expect((await releaseAssemble(version, { checksum, chunks })).body).toEqual({
        state: 'created',
        missingChunks: [],
      });
      expect(await waitForResult(() => releaseAssemble(version, { checksum, chunks }))).toEqual({
        state: 'ok',
        detail: null,
        missingChunks: [],
      });

      const files = await releaseFiles(version);
      expect(files.map(({ blobKey: _key, ...rest }) => rest)).toEqual([
        {
          name: '~/assets/app.min.js',
          url: '~/assets/app.min.js',
          fileType: 'minified_source',
          debugId: DEBUG_ID,
          dist: 'web',
          bundleId: null,
        },
        {
          name: '~/assets/app.min.js.map',
          url: '~/assets/app.min.js.map',
          fileType: 'source_map',
          debugId: DEBUG_ID,
          dist: 'web',
          bundleId: null,
        },
      ]);

      const listed = (await apiRequest(
        picket,
        project.token,
        'GET',
        `${org()}/releases/${encodeURIComponent(version)}/files/`,
      )) as { name: string; dist: string | null }[];
      expect(listed.map((file) => [file.name, file.dist]).sort()).toEqual([
        ['~/assets/app.min.js', 'web'],
        ['~/assets/app.min.js.map', 'web'],
      ]);
    });

    it('replaces a release file with the same name', async () => {
      const version = 'legacy@2.0';
      await createRelease(version);
      for (const marker of ['first build', 'second build']) {
        const { checksum, chunks } = await uploadFile(appBundle(marker, { release: version }));
        const result = await waitForResult(() => releaseAssemble(version, { checksum, chunks }));
        expect(result.state).toBe('ok');
      }

      const files = await releaseFiles(version);
      expect(files.map((file) => file.name)).toEqual([
        '~/assets/app.min.js',
        '~/assets/app.min.js.map',
      ]);
      const minified = await readBlob(files[0]!.blobKey);
      expect(minified.toString()).toContain('second build');
      const blobCount = await db.kysely
        .selectFrom('artifactFiles')
        .select(db.kysely.fn.countAll().as('count'))
        .where(
          'blobKey',
          'in',
          files.map((file) => file.blobKey),
        )
        .executeTakeFirstOrThrow();
      expect(Number(blobCount.count)).toBe(2);
    });

    it('reports a bundle built for another release', async () => {
      const version = 'legacy@3.0';
      await createRelease(version);
      const { checksum, chunks } = await uploadFile(appBundle('other', { release: 'legacy@9' }));
      const result = await waitForResult(() => releaseAssemble(version, { checksum, chunks }));
      expect(result).toEqual({
        state: 'error',
        detail:
          'The bundle was built for release "legacy@9", but was uploaded to release "legacy@3.0"',
        missingChunks: [],
      });
    });

    it('returns 404 for an unknown release', async () => {
      const reply = await releaseAssemble('missing@1', { checksum: 'd'.repeat(40), chunks: [] });
      expect(reply.status).toBe(404);
    });

    it('rejects a bad body', async () => {
      const reply = await releaseAssemble('legacy@1.0', { checksum: 'xyz', chunks: [] });
      expect(reply.status).toBe(400);
      expect((reply.body as { error: string }).error).toMatch(/^checksum: /);
    });
  });

  describe('access', () => {
    const routes = (target: TestProject) => [
      ['GET', `${org(target)}/chunk-upload/`],
      ['POST', `${org(target)}/chunk-upload/`],
      ['POST', `${org(target)}/artifactbundle/assemble/`],
      ['POST', `${org(target)}/releases/legacy%401.0/assemble/`],
    ];

    it('rejects a token without a release scope', async () => {
      const token = await tokenWith('org:read,project:read,event:read');
      for (const [method, pathname] of routes(project)) {
        const reply = await send(method!, pathname!, {
          token,
          json: method === 'POST' ? {} : undefined,
        });
        expect(reply.status, `${method} ${pathname}`).toBe(403);
      }
    });

    it('accepts a token with project:releases', async () => {
      const token = await tokenWith('project:releases');
      expect((await send('GET', `${org()}/chunk-upload/`, { token })).status).toBe(200);
      const content = Buffer.from('uploaded with project:releases');
      expect((await postChunks([rawChunk(content)], token)).status).toBe(200);
    });

    it('hides the organization from a non-member', async () => {
      for (const [method, pathname] of routes(project)) {
        const reply = await send(method!, pathname!, {
          token: rival.token,
          json: method === 'POST' ? {} : undefined,
        });
        expect(reply.status, `${method} ${pathname}`).toBe(404);
      }
    });

    it('rejects a request without credentials', async () => {
      const response = await fetch(`${picket.url}${org()}/chunk-upload/`);
      expect(response.status).toBe(401);
    });
  });
});
