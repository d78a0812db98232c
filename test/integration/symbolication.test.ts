/**
 * Source-map symbolication in the worker, on SQLite and PostgreSQL. Real esbuild bundles and
 * maps are stored as artifact bundles and release files (rows and blobs, as the upload routes
 * leave them). Events carry frames at the positions V8 reports for those bundles, and the stored
 * events are read back through the API. The browser SDK event of the `browser-symbolication`
 * capture is replayed against the bundle sentry-cli uploaded for it.
 */
import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { LocalBlobStore, type BlobStore } from '../../src/server/platform/blobs/index.js';
import { connectDb, type Db } from '../../src/server/platform/db/index.js';
import { newEventId } from '../helpers/envelopes.js';
import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  apiGet,
  apiRequest,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  APP_SOURCES,
  ArtifactWriter,
  buildApp,
  THROW_LINE,
  throwFrames,
  withDebugId,
  type ArtifactInput,
  type BuiltBundle,
  type EventFrame,
} from '../helpers/source-maps.js';
import { loadCaptures, replayCapture } from '../replay/captures.js';

const CDN = 'https://cdn.example.com';
const RELEASE = 'sym-release@1';
const BUNDLE_RELEASE = 'sym-bundle@1';
const CAPTURE_RELEASE = 'symbolication-fixture@1.0.0';
const CAPTURE_DEBUG_ID = 'addcc2e4-c4b9-59cd-a7b6-2e3248fb170f';
const APP_LINES = (APP_SOURCES['src/app.js'] ?? '').split('\n');
const FIXTURES = new URL('../fixtures/symbolication/', import.meta.url);

interface ApiFrame {
  filename: string | null;
  absPath: string | null;
  function: string | null;
  lineNo: number | null;
  colNo: number | null;
  inApp: boolean;
  context: [number, string][];
  data: {
    sourcemap?: string;
    symbolication?: {
      status: string;
      resolvedWith?: string;
      debugId?: string;
      release?: string;
      dist?: string;
      minifiedFile?: string;
      sourceMap?: string;
      problems: string[];
      hints?: {
        releaseFileCount?: number;
        sameNameUrls?: string[];
        otherReleases?: string[];
        otherProjects?: string[];
      };
    };
  } | null;
}

interface ApiEvent {
  groupID: string;
  errors: { type: string; url?: string; name?: string }[];
  entries: {
    type: string;
    data: {
      values: {
        stacktrace: { frames: ApiFrame[] } | null;
        rawStacktrace: { frames: ApiFrame[] } | null;
      }[];
    };
  }[];
}

function exceptionOf(event: ApiEvent) {
  const entry = event.entries.find((candidate) => candidate.type === 'exception');
  const value = entry?.data.values[0];
  if (value?.stacktrace == null) {
    throw new Error('event has no exception stack trace');
  }
  return { frames: value.stacktrace.frames, raw: value.rawStacktrace?.frames };
}

function topFrame(event: ApiEvent): ApiFrame {
  const frame = exceptionOf(event).frames.at(-1);
  if (frame === undefined) {
    throw new Error('event has no frames');
  }
  return frame;
}

/** Returns the context of the throwing line of `src/app.js`, as the API lists it. */
function throwContext(): [number, string][] {
  const context: [number, string][] = [];
  for (let line = THROW_LINE - 5; line <= THROW_LINE + 5; line += 1) {
    const text = APP_LINES[line - 1];
    if (text !== undefined) {
      context.push([line, text]);
    }
  }
  return context;
}

function jsEvent(frames: EventFrame[], extra: Record<string, unknown> = {}) {
  return {
    event_id: newEventId(),
    platform: 'javascript',
    timestamp: Date.now() / 1000,
    exception: {
      values: [
        {
          type: 'RangeError',
          value: 'cart is empty (0 items)',
          stacktrace: { frames },
          mechanism: { type: 'generic', handled: true },
        },
      ],
    },
    ...extra,
  };
}

function debugMeta(url: string, debugId: string) {
  return { images: [{ type: 'sourcemap', code_file: url, debug_id: debugId }] };
}

function artifact(
  url: string,
  type: ArtifactInput['type'],
  content: string,
  extra: Partial<ArtifactInput> = {},
): ArtifactInput {
  return { url, type, content, ...extra };
}

const mapText = (bundle: BuiltBundle) => JSON.stringify(bundle.map);

describe.each(SERVER_ENGINES)('symbolication on $name', ({ databaseUrl }) => {
  let picket: PicketInstance;
  let project: TestProject;
  let db: Db;
  let writer: ArtifactWriter;
  let blobs: BlobStore;
  let organizationId: number;
  const sent = new Map<string, string>();

  async function send(label: string, event: Record<string, unknown>): Promise<void> {
    const response = await sendEnvelope(project.dsn, [
      { headers: { type: 'event' }, payload: event },
    ]);
    expect(response.status).toBe(200);
    sent.set(label, String(event.event_id));
  }

  async function stored(label: string): Promise<ApiEvent> {
    const eventId = sent.get(label);
    if (eventId === undefined) {
      throw new Error(`no event was sent for ${label}`);
    }
    const path = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`;
    return waitFor(() => apiGet(picket, project.token, path) as Promise<ApiEvent>, 30_000);
  }

  async function createRelease(version: string): Promise<number> {
    await apiRequest(
      picket,
      project.token,
      'POST',
      `/api/0/organizations/${project.orgSlug}/releases/`,
      {
        version,
        projects: [project.projectSlug],
      },
    );
    const row = await db.kysely
      .selectFrom('releases')
      .select('id')
      .where('version', '=', version)
      .where('organizationId', '=', organizationId)
      .executeTakeFirstOrThrow();
    return Number(row.id);
  }

  beforeAll(async () => {
    const url = await databaseUrl();
    picket = await startPicket({ databaseUrl: url });
    project = await setupProject(picket, 'sym');
    db = connectDb({ databaseUrl: url, dataDir: picket.dataDir });
    blobs = new LocalBlobStore(path.join(picket.dataDir, 'blobs'));
    writer = new ArtifactWriter(db, blobs);
    const projectRow = await db.kysely
      .selectFrom('projects')
      .select('organizationId')
      .where('id', '=', project.projectId)
      .executeTakeFirstOrThrow();
    organizationId = Number(projectRow.organizationId);
    const projectIds = [project.projectId];
    const releaseId = await createRelease(RELEASE);

    const app = await buildApp();
    const withoutContent = await buildApp({ sourcesContent: false });
    const secondBuild = await buildApp({ minifyIdentifiers: false, banner: '/* build 2 */' });

    // Mapped by debug ID, from an artifact bundle without a release.
    const debugId = randomUUID();
    const debugBundle = withDebugId(app, debugId);
    const debugUrl = `${CDN}/assets/debug.min.js`;
    await writer.addBundle({
      organizationId,
      projectIds,
      files: [
        artifact('~/assets/debug.min.js', 'minified_source', debugBundle.code, {
          debugId,
          headers: { sourcemap: 'debug.min.js.map' },
        }),
        artifact('~/assets/debug.min.js.map', 'source_map', mapText(debugBundle), { debugId }),
      ],
    });
    const debugFrames = throwFrames(debugBundle.code, debugUrl);
    await send('debug-id', jsEvent(debugFrames, { debug_meta: debugMeta(debugUrl, debugId) }));
    await send(
      'out-of-range',
      jsEvent(
        debugFrames.map((frame, index) =>
          index === debugFrames.length - 1 ? { ...frame, lineno: 40 } : frame,
        ),
        { debug_meta: debugMeta(debugUrl, debugId) },
      ),
    );
    await send(
      'missing-location',
      jsEvent(
        debugFrames.map((frame, index) => {
          if (index !== debugFrames.length - 1) {
            return frame;
          }
          const withoutColumn: Partial<EventFrame> = { ...frame };
          delete withoutColumn.colno;
          return withoutColumn as EventFrame;
        }),
        { debug_meta: debugMeta(debugUrl, debugId) },
      ),
    );

    await send('thread', {
      event_id: newEventId(),
      platform: 'javascript',
      message: 'stalled',
      threads: { values: [{ id: 1, crashed: true, stacktrace: { frames: debugFrames } }] },
      debug_meta: debugMeta(debugUrl, debugId),
    });

    // Mapped by release and `~/` URL through the `Sourcemap` header of a release file.
    const releaseUrl = `${CDN}/assets/release.min.js?v=3`;
    for (const file of [
      artifact('~/assets/release.min.js', 'minified_source', app.code, {
        headers: { Sourcemap: 'release.min.js.map' },
      }),
      artifact('~/assets/release.min.js.map', 'source_map', mapText(app)),
    ]) {
      await writer.addReleaseFile({ organizationId, releaseId, file });
    }
    await send('release', jsEvent(throwFrames(app.code, releaseUrl), { release: RELEASE }));

    // The usual mistakes: a wrong URL prefix, a wrong release, a map in another project.
    await send(
      'wrong-prefix',
      jsEvent(throwFrames(app.code, `${CDN}/wrong/release.min.js`), { release: RELEASE }),
    );
    // A newer release of another name holds the same URL; the hint still names the near miss.
    const otherLineId = await createRelease('other-line@9');
    await writer.addReleaseFile({
      organizationId,
      releaseId: otherLineId,
      file: artifact('~/assets/release.min.js', 'minified_source', app.code),
    });
    await send(
      'wrong-release',
      jsEvent(throwFrames(app.code, releaseUrl), { release: 'sym-release@2' }),
    );
    const otherProject = await db.kysely
      .insertInto('projects')
      .values({
        organizationId,
        slug: 'sym-elsewhere',
        name: 'Elsewhere',
        platform: 'javascript',
        createdAt: Date.now(),
        firstEventAt: null,
        nextShortId: 1,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const strayDebugId = randomUUID();
    await writer.addBundle({
      organizationId,
      projectIds: [Number(otherProject.id)],
      files: [
        artifact('~/assets/stray.min.js.map', 'source_map', mapText(app), {
          debugId: strayDebugId,
        }),
      ],
    });
    await writer.addBundle({
      organizationId,
      projectIds: [Number(otherProject.id)],
      release: RELEASE,
      files: [artifact('~/assets/elsewhere.min.js', 'minified_source', app.code)],
    });
    await send(
      'other-project-url',
      jsEvent(throwFrames(app.code, `${CDN}/assets/elsewhere.min.js`), { release: RELEASE }),
    );
    const strayUrl = `${CDN}/assets/stray.min.js`;
    await send(
      'other-project',
      jsEvent(throwFrames(app.code, strayUrl), { debug_meta: debugMeta(strayUrl, strayDebugId) }),
    );

    // Mapped through the `sourceMappingURL` comment of a file in a bundle of a release and dist.
    const commentUrl = `${CDN}/static/comment.min.js`;
    const commentCode = `${app.code}//# sourceMappingURL=comment.js.map\n`;
    await writer.addBundle({
      organizationId,
      projectIds,
      release: BUNDLE_RELEASE,
      dist: 'web',
      files: [
        artifact('~/static/comment.min.js', 'minified_source', commentCode),
        artifact('~/static/comment.js.map', 'source_map', mapText(app)),
      ],
    });
    const commentFrames = throwFrames(commentCode, commentUrl);
    await send('comment', jsEvent(commentFrames, { release: BUNDLE_RELEASE, dist: 'web' }));
    await send('other-dist', jsEvent(commentFrames, { release: BUNDLE_RELEASE, dist: 'mobile' }));

    // An inline map in a `data:` URL.
    const inlineUrl = `${CDN}/assets/inline.min.js`;
    const inlineMap = Buffer.from(mapText(app)).toString('base64');
    const inlineComment = `//# sourceMappingURL=data:application/json;base64,${inlineMap}`;
    const inlineCode = `${app.code}${inlineComment}\n`;
    await writer.addReleaseFile({
      organizationId,
      releaseId,
      file: artifact('~/assets/inline.min.js', 'minified_source', inlineCode),
    });
    await send('inline', jsEvent(throwFrames(inlineCode, inlineUrl), { release: RELEASE }));

    // A Node event: absolute paths, the map found at `<file>.map`.
    const nodePath = '/srv/app/dist/server.js';
    for (const file of [
      artifact(`~${nodePath}`, 'minified_source', app.code),
      artifact(`~${nodePath}.map`, 'source_map', mapText(app)),
    ]) {
      await writer.addReleaseFile({ organizationId, releaseId, file });
    }
    await send(
      'node',
      jsEvent(throwFrames(app.code, nodePath), { platform: 'node', release: RELEASE }),
    );

    // A Node event of an app that uploads nothing: its frames are left as they came.
    await send(
      'plain-node',
      jsEvent(throwFrames(app.code, '/srv/plain/server.js'), {
        platform: 'node',
        release: RELEASE,
      }),
    );

    // Frames that cannot be mapped, one reason each.
    const unknownUrl = `${CDN}/assets/unknown.min.js`;
    await send(
      'no-debug-id-match',
      jsEvent(throwFrames(app.code, unknownUrl), {
        debug_meta: debugMeta(unknownUrl, randomUUID()),
      }),
    );
    await send('no-release', jsEvent(throwFrames(app.code, `${CDN}/assets/norelease.min.js`)));
    await send(
      'no-file',
      jsEvent(throwFrames(app.code, `${CDN}/assets/absent.min.js`), { release: RELEASE }),
    );
    await writer.addReleaseFile({
      organizationId,
      releaseId,
      file: artifact('~/assets/orphan.min.js', 'minified_source', app.code, {
        headers: { Sourcemap: 'orphan.min.js.map' },
      }),
    });
    await send(
      'map-not-found',
      jsEvent(throwFrames(app.code, `${CDN}/assets/orphan.min.js`), { release: RELEASE }),
    );
    for (const file of [
      artifact('~/assets/broken.min.js', 'minified_source', app.code),
      artifact('~/assets/broken.min.js.map', 'source_map', '{"version":3,"mappings":'),
    ]) {
      await writer.addReleaseFile({ organizationId, releaseId, file });
    }
    await send(
      'invalid-map',
      jsEvent(throwFrames(app.code, `${CDN}/assets/broken.min.js`), { release: RELEASE }),
    );
    await writer.addReleaseFile({
      organizationId,
      releaseId,
      file: artifact('~/assets/plain.min.js', 'minified_source', app.code),
    });
    await send(
      'no-reference',
      jsEvent(throwFrames(app.code, `${CDN}/assets/plain.min.js`), { release: RELEASE }),
    );

    // A map whose blob is gone, and a position on a line the map has no mappings for.
    await writer.addReleaseFile({
      organizationId,
      releaseId,
      file: artifact('~/assets/lost.min.js', 'minified_source', app.code),
    });
    const lostMap = await writer.addReleaseFile({
      organizationId,
      releaseId,
      file: artifact('~/assets/lost.min.js.map', 'source_map', mapText(app)),
    });
    await blobs.delete(lostMap);
    await send(
      'unreadable',
      jsEvent(throwFrames(app.code, `${CDN}/assets/lost.min.js`), { release: RELEASE }),
    );
    const bannerUrl = `${CDN}/assets/banner.min.js`;
    for (const file of [
      artifact('~/assets/banner.min.js', 'minified_source', secondBuild.code),
      artifact('~/assets/banner.min.js.map', 'source_map', mapText(secondBuild)),
    ]) {
      await writer.addReleaseFile({ organizationId, releaseId, file });
    }
    const bannerFrames = throwFrames(secondBuild.code, bannerUrl);
    await send(
      'no-mapping',
      jsEvent(
        bannerFrames.map((frame, index) =>
          index === bannerFrames.length - 1 ? { ...frame, lineno: 1, colno: 3 } : frame,
        ),
        { release: RELEASE },
      ),
    );

    // A map without `sourcesContent`, alone and with the original source uploaded beside it.
    for (const [label, name, withSource] of [
      ['no-content', 'nocontent', false],
      ['uploaded-source', 'withsource', true],
    ] as const) {
      const id = randomUUID();
      const bundle = withDebugId(withoutContent, id);
      const url = `${CDN}/assets/${name}.min.js`;
      const files = [
        artifact(`~/assets/${name}.min.js`, 'minified_source', bundle.code, {
          debugId: id,
          headers: { sourcemap: `${name}.min.js.map` },
        }),
        artifact(`~/assets/${name}.min.js.map`, 'source_map', mapText(bundle), { debugId: id }),
      ];
      if (withSource) {
        files.push(artifact('~/src/app.js', 'source', APP_SOURCES['src/app.js'] ?? ''));
      }
      await writer.addBundle({ organizationId, projectIds, files });
      await send(label, jsEvent(throwFrames(bundle.code, url), { debug_meta: debugMeta(url, id) }));
    }

    // Two builds of the same code, mapped and not mapped, for grouping.
    for (const [label, build] of [
      ['v1', app],
      ['v2', secondBuild],
    ] as const) {
      const id = randomUUID();
      const bundle = withDebugId(build, id);
      const url = `${CDN}/assets/group-${label}.min.js`;
      await writer.addBundle({
        organizationId,
        projectIds,
        files: [
          artifact(`~/assets/group-${label}.min.js`, 'minified_source', bundle.code, {
            debugId: id,
          }),
          artifact(`~/assets/group-${label}.min.js.map`, 'source_map', mapText(bundle), {
            debugId: id,
          }),
        ],
      });
      const frames = throwFrames(bundle.code, url);
      await send(`group-mapped-${label}`, jsEvent(frames, { debug_meta: debugMeta(url, id) }));
      const rawUrl = `${CDN}/assets/raw-${label}.min.js`;
      await send(`group-raw-${label}`, jsEvent(throwFrames(bundle.code, rawUrl)));
    }

    // Symbolication data sent by a client is replaced or removed.
    const spoofed = throwFrames(app.code, `${CDN}/assets/spoofed.min.js`).map((frame) => ({
      ...frame,
      data: { symbolication: { status: 'mapped', problems: [] } },
    }));
    await send('spoofed', jsEvent(spoofed));
    await send('spoofed-python', {
      event_id: newEventId(),
      platform: 'python',
      exception: {
        values: [
          {
            type: 'ValueError',
            value: 'bad',
            stacktrace: {
              frames: [
                {
                  filename: 'app.py',
                  function: 'main',
                  lineno: 3,
                  data: { symbolication: { status: 'mapped', problems: [] }, kept: 1 },
                },
              ],
            },
          },
        ],
      },
    });

    // The real browser SDK event and the bundle sentry-cli uploaded for it.
    await writer.addBundle({
      organizationId,
      projectIds,
      release: CAPTURE_RELEASE,
      files: [
        artifact('~/assets/app.min.js', 'minified_source', readFixture('capture-app.min.js'), {
          debugId: CAPTURE_DEBUG_ID,
          headers: { sourcemap: 'app.min.js.map' },
        }),
        artifact('~/assets/app.min.js.map', 'source_map', readFixture('capture-app.min.js.map'), {
          debugId: CAPTURE_DEBUG_ID,
        }),
      ],
    });
    const capture = loadCaptures(['browser-symbolication']).find((candidate) =>
      candidate.label.endsWith('003-envelope-event-exception.json'),
    );
    if (capture === undefined) {
      throw new Error('the browser-symbolication exception capture is missing');
    }
    const replayed = await replayCapture(capture, {
      baseUrl: picket.url,
      projectId: String(project.projectId),
      publicKey: project.publicKey,
      dsn: project.dsn,
      apiToken: project.token,
    });
    expect(replayed.status).toBe(200);
    sent.set('capture', (replayed.json as { id: string }).id);
  }, 120_000);

  afterAll(async () => {
    await db.close();
    await picket.stop();
  });

  it('maps frames by debug ID', async () => {
    const event = await stored('debug-id');
    const top = topFrame(event);

    expect(exceptionOf(event).frames.map((frame) => frame.function)).toEqual([
      'globalThis.runApp',
      'loadCart',
      'withItems',
      'priceCart',
      'sumItems',
    ]);
    expect(top.filename).toBe('../src/app.js');
    expect(top.absPath).toBe(`${CDN}/src/app.js`);
    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.inApp).toBe(true);
    expect(top.context).toEqual(throwContext());
    expect(top.data?.sourcemap).toBe('~/assets/debug.min.js.map');
    expect(top.data?.symbolication).toEqual({
      status: 'mapped',
      resolvedWith: 'debug-id',
      debugId: expect.stringMatching(/^[0-9a-f-]{36}$/) as unknown,
      minifiedFile: '~/assets/debug.min.js',
      sourceMap: '~/assets/debug.min.js.map',
      problems: [],
    });
    expect(event.errors.filter((error) => error.type.startsWith('js_'))).toEqual([]);
  });

  it('marks vendor frames as not in app after mapping', async () => {
    const frames = exceptionOf(await stored('debug-id')).frames;
    const vendor = frames.find((frame) => frame.filename?.includes('node_modules') === true);

    expect(vendor?.filename).toBe('../src/node_modules/cartlib/index.js');
    expect(vendor?.inApp).toBe(false);
    expect(vendor?.lineNo).toBe(2);
    expect(frames.every((frame) => frame.data?.symbolication?.status === 'mapped')).toBe(true);
  });

  it('keeps the minified frames as the raw stack trace', async () => {
    const { frames, raw } = exceptionOf(await stored('debug-id'));

    expect(raw).toHaveLength(frames.length);
    expect(raw?.every((frame) => frame.absPath === `${CDN}/assets/debug.min.js`)).toBe(true);
    expect(raw?.every((frame) => frame.lineNo === 1)).toBe(true);
    expect(raw?.every((frame) => frame.data === null)).toBe(true);
  });

  it('maps thread stack traces', async () => {
    const event = await stored('thread');
    const entry = event.entries.find((candidate) => candidate.type === 'threads') as unknown as {
      data: {
        values: { stacktrace: { frames: ApiFrame[] }; rawStacktrace: { frames: ApiFrame[] } }[];
      };
    };
    const thread = entry.data.values[0];

    expect(thread?.stacktrace.frames.at(-1)?.lineNo).toBe(THROW_LINE);
    expect(thread?.stacktrace.frames.at(-1)?.data?.symbolication?.status).toBe('mapped');
    expect(thread?.rawStacktrace.frames.at(-1)?.absPath).toBe(`${CDN}/assets/debug.min.js`);
  });

  it('maps by release and tilde URL', async () => {
    const top = topFrame(await stored('release'));

    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.absPath).toBe(`${CDN}/src/app.js`);
    expect(top.data?.symbolication).toEqual({
      status: 'mapped',
      resolvedWith: 'release',
      release: RELEASE,
      minifiedFile: '~/assets/release.min.js',
      sourceMap: `${CDN}/assets/release.min.js.map`,
      problems: [],
    });
  });

  it('maps through the sourceMappingURL comment', async () => {
    const top = topFrame(await stored('comment'));

    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.context).toEqual(throwContext());
    expect(top.data?.symbolication).toEqual({
      status: 'mapped',
      resolvedWith: 'source-mapping-url',
      release: BUNDLE_RELEASE,
      dist: 'web',
      minifiedFile: '~/static/comment.min.js',
      sourceMap: `${CDN}/static/comment.js.map`,
      problems: [],
    });
  });

  it('maps an inline data URL map', async () => {
    const top = topFrame(await stored('inline'));

    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.data?.symbolication?.status).toBe('mapped');
    expect(top.data?.symbolication?.resolvedWith).toBe('source-mapping-url');
  });

  it('maps Node frames by absolute path', async () => {
    const top = topFrame(await stored('node'));

    expect(top.absPath).toBe('/srv/app/src/app.js');
    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.data?.symbolication?.resolvedWith).toBe('release');
    expect(top.data?.symbolication?.sourceMap).toBe('~/srv/app/dist/server.js.map');
  });

  it('leaves Node frames without uploads as they came', async () => {
    const event = await stored('plain-node');
    const frames = exceptionOf(event).frames;

    expect(frames.length).toBeGreaterThan(0);
    expect(frames.every((frame) => frame.data?.symbolication === undefined)).toBe(true);
    expect(frames.every((frame) => frame.absPath === '/srv/plain/server.js')).toBe(true);
    expect(event.errors.filter((error) => error.type.startsWith('js_'))).toEqual([]);
  });

  it('points at the usual mistakes behind a missing file', async () => {
    const hintsOf = async (label: string) =>
      topFrame(await stored(label)).data?.symbolication?.hints;

    const wrongPrefix = await hintsOf('wrong-prefix');
    expect(wrongPrefix?.sameNameUrls).toEqual(['~/assets/release.min.js']);
    expect(wrongPrefix?.releaseFileCount).toBeGreaterThanOrEqual(2);

    const wrongRelease = await hintsOf('wrong-release');
    expect(wrongRelease?.otherReleases).toEqual([RELEASE, 'other-line@9']);
    expect(wrongRelease?.releaseFileCount).toBe(0);

    expect((await hintsOf('other-project'))?.otherProjects).toEqual(['sym-elsewhere']);
    expect((await hintsOf('other-project-url'))?.otherProjects).toEqual(['sym-elsewhere']);
    expect(await hintsOf('debug-id')).toBeUndefined();
  });

  it('maps the captured browser SDK event', async () => {
    const event = await stored('capture');
    const { frames } = exceptionOf(event);
    const top = topFrame(event);

    expect(frames.map((frame) => frame.function)).toEqual([
      'HTMLButtonElement.r',
      'HTMLButtonElement.<anonymous>',
      'loadCart',
      'priceCart',
      'sumItems',
    ]);
    expect(top.filename).toBe('../../src2/app.js');
    expect(top.absPath).toBe('http://127.0.0.1:18766/src2/app.js');
    expect(top.lineNo).toBe(5);
    expect(top.context.find(([line]) => line === 5)?.[1]).toContain('throw new RangeError');
    expect(top.data?.symbolication?.resolvedWith).toBe('debug-id');
    expect(top.data?.symbolication?.debugId).toBe(CAPTURE_DEBUG_ID);
    expect(frames[0]?.absPath).toBe('http://127.0.0.1:18766/vendor/sdk.min.js');
    expect(frames[0]?.data?.symbolication?.problems).toEqual(['no_file_at_url']);
  });

  it.each([
    ['no-debug-id-match', ['no_debug_id_match'], 'js_no_source'],
    ['no-release', ['no_release'], undefined],
    ['no-file', ['no_file_at_url'], 'js_no_source'],
    ['other-dist', ['no_file_at_url'], 'js_no_source'],
    ['map-not-found', ['source_map_not_found'], 'js_no_source'],
    ['invalid-map', ['invalid_source_map'], 'js_invalid_source'],
    ['no-reference', ['no_source_map_reference'], undefined],
  ])('leaves frames unmapped for %s', async (label, problems, errorType) => {
    const event = await stored(label);
    const frames = exceptionOf(event).frames;
    const jsErrors = event.errors.filter((error) => error.type.startsWith('js_'));

    expect(frames.every((frame) => frame.data?.symbolication?.status === 'unmapped')).toBe(true);
    expect(frames.map((frame) => frame.data?.symbolication?.problems)).toEqual(
      frames.map(() => problems),
    );
    expect(frames.every((frame) => frame.lineNo === 1)).toBe(true);
    expect(exceptionOf(event).raw).toBeUndefined();
    expect(jsErrors.map((error) => error.type)).toEqual(errorType === undefined ? [] : [errorType]);
  });

  it('names the missing map it looked for', async () => {
    const event = await stored('map-not-found');

    expect(topFrame(event).data?.symbolication?.sourceMap).toBe(`${CDN}/assets/orphan.min.js.map`);
    expect(event.errors).toContainEqual({
      type: 'js_no_source',
      url: `${CDN}/assets/orphan.min.js.map`,
    });
  });

  it('reports a line past the map', async () => {
    const event = await stored('out-of-range');
    const frames = exceptionOf(event).frames;

    expect(topFrame(event).data?.symbolication?.problems).toEqual(['line_out_of_range']);
    expect(topFrame(event).lineNo).toBe(40);
    expect(frames[0]?.data?.symbolication?.status).toBe('mapped');
    expect(event.errors.map((error) => error.type)).toContain('js_invalid_sourcemap_location');
  });

  it('reports a map it cannot read', async () => {
    const event = await stored('unreadable');

    expect(topFrame(event).data?.symbolication?.problems).toEqual(['artifact_unreadable']);
    expect(topFrame(event).data?.symbolication?.sourceMap).toBe('~/assets/lost.min.js.map');
    expect(event.errors).toContainEqual({
      type: 'js_no_source',
      url: '~/assets/lost.min.js.map',
    });
  });

  it('reports a position without a mapping', async () => {
    const event = await stored('no-mapping');
    const frames = exceptionOf(event).frames;

    expect(topFrame(event).data?.symbolication?.problems).toEqual(['no_mapping_at_position']);
    expect(frames[0]?.data?.symbolication?.status).toBe('mapped');
  });

  it('reports a frame without a column', async () => {
    const event = await stored('missing-location');

    expect(topFrame(event).data?.symbolication).toEqual({
      status: 'unmapped',
      problems: ['missing_location'],
    });
  });

  it('maps without sourcesContent but reports it', async () => {
    const event = await stored('no-content');
    const top = topFrame(event);

    expect(top.lineNo).toBe(THROW_LINE);
    expect(top.data?.symbolication?.status).toBe('mapped');
    expect(top.data?.symbolication?.problems).toEqual(['missing_sources_content']);
    expect(top.context).toEqual([]);
    expect(event.errors).toContainEqual({
      type: 'js_missing_sources_content',
      url: '~/assets/nocontent.min.js.map',
      name: `${CDN}/src/app.js`,
    });
  });

  it('reads context from an uploaded source file', async () => {
    const top = topFrame(await stored('uploaded-source'));

    expect(top.data?.symbolication?.problems).toEqual([]);
    expect(top.context).toEqual(throwContext());
  });

  it('groups two builds by their mapped frames', async () => {
    const first = await stored('group-mapped-v1');
    const second = await stored('group-mapped-v2');

    expect(topFrame(second).function).toBe('sumItems');
    expect(second.groupID).toBe(first.groupID);
  });

  it('keeps unmapped builds in separate issues', async () => {
    const first = await stored('group-raw-v1');
    const second = await stored('group-raw-v2');

    expect(second.groupID).not.toBe(first.groupID);
  });

  it('replaces symbolication data a client sent', async () => {
    const javascript = await stored('spoofed');
    const python = await stored('spoofed-python');

    expect(topFrame(javascript).data?.symbolication).toEqual({
      status: 'unmapped',
      problems: ['no_release'],
    });
    expect(topFrame(python).data).toEqual({ kept: 1 });
  });
});

function readFixture(name: string): string {
  return fs.readFileSync(new URL(name, FIXTURES), 'utf8');
}
