/**
 * The source-map path end to end with real tools. esbuild with @sentry/esbuild-plugin 5.4.0
 * (which uploads with its own sentry-cli 2.58.6) builds a small browser app, and Chromium runs
 * it with @sentry/browser. The error it reports must come out of Picket with the original file,
 * line and source line, in the API and on the issue page. A second build of the same app, whose
 * maps were never uploaded, must say why its frames stay minified.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { ArtifactBundle, ArtifactBundleFile } from '../../src/shared/api/sourcemaps.js';
import {
  flushTestPage,
  launchChromium,
  logInThrough,
  requireChromium,
  startStaticServer,
} from '../helpers/chromium.js';
import {
  apiGet,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { waitForEvent } from './api.js';
import { NODE_CLIENT_DIR, runProgram } from './clients.js';
import { exceptionValues, releaseVersion, type ApiEvent } from './sentry-event.js';

const RELEASE = 'plugin-app@1.0.0';
const UNMAPPED_RELEASE = 'plugin-app@1.0.0-no-upload';
const APP_SOURCE = fs.readFileSync(path.join(NODE_CLIENT_DIR, 'symbolication/app.js'), 'utf8');
const THROW_TEXT = 'throw new Error(`Cart total must be positive, got ${total}`);';
// 1-based line of the throw in the app source, which the mapped top frame must point at.
const THROW_LINE = APP_SOURCE.split('\n').findIndex((line) => line.includes(THROW_TEXT)) + 1;
const BUILD_TIMEOUT_MS = 120_000;
const PAGE_TIMEOUT_MS = 15_000;
const EVENT_WAIT_MS = 30_000;

/** A frame as the event API returns it, with the worker's symbolication record. */
interface ApiFrame {
  filename?: string | null;
  absPath?: string | null;
  function?: string | null;
  lineNo?: number | null;
  colNo?: number | null;
  context?: [number, string][] | null;
  data?: {
    symbolication?: { status: string; resolvedWith?: string; problems: string[] };
  } | null;
}

let picket: PicketInstance | undefined;
let project: TestProject;
let workDir: string | undefined;
let pageServer: http.Server | undefined;
let browser: Browser | undefined;
let pageOrigin: string;
let mappedEvent: ApiEvent;
let unmappedEvent: ApiEvent;

function buildApp(name: string, release: string, upload: boolean): Promise<string> {
  const target = picket;
  if (target === undefined || workDir === undefined) {
    throw new Error('the server and the work folder are not ready');
  }
  return runProgram(
    process.execPath,
    [
      path.join(NODE_CLIENT_DIR, 'build-symbolication-app.mjs'),
      workDir,
      name,
      release,
      ...(upload ? ['--upload'] : []),
    ],
    {
      timeoutMs: BUILD_TIMEOUT_MS,
      cwd: workDir,
      env: {
        ...process.env,
        HOME: workDir,
        SENTRY_URL: target.url,
        SENTRY_AUTH_TOKEN: project.token,
        SENTRY_ORG: project.orgSlug,
        SENTRY_PROJECT: project.projectSlug,
        SENTRY_DISABLE_UPDATE_CHECK: 'true',
      },
    },
  );
}

/** Loads one build's page in Chromium and returns the id of the event it reported. */
async function reportFromPage(page: Page, name: string): Promise<string> {
  await page.goto(`${pageOrigin}/${name}/index.html?dsn=${encodeURIComponent(project.dsn)}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { __picket?: { done: boolean } }).__picket?.done === true,
    undefined,
    { timeout: PAGE_TIMEOUT_MS },
  );
  await flushTestPage(page, PAGE_TIMEOUT_MS);
  const eventId = await page.evaluate(
    () => (globalThis as unknown as { __picket: { eventId: string | null } }).__picket.eventId,
  );
  if (eventId === null) {
    throw new Error(`the ${name} page reported no event`);
  }
  return eventId;
}

function framesOf(event: ApiEvent): ApiFrame[] {
  return (exceptionValues(event)[0]?.stacktrace?.frames ?? []) as ApiFrame[];
}

/** Returns the frame where the error was raised: the last one, as frames are oldest first. */
function topFrame(event: ApiEvent): ApiFrame {
  const frame = framesOf(event).at(-1);
  if (frame === undefined) {
    throw new Error(`event ${event.eventID} has no frames`);
  }
  return frame;
}

/**
 * Returns the debug ID a built bundle registers at run time. The plugin writes the
 * `//# debugId=` comment only into the copies it uploads, so the served file is read for the
 * `sentry-dbid-<id>` marker of its runtime snippet.
 */
function readDebugId(file: string): string {
  const match = /sentry-dbid-([0-9a-f-]{36})/.exec(fs.readFileSync(file, 'utf8'));
  if (match?.[1] === undefined) {
    throw new Error(`${file} has no debug ID snippet`);
  }
  return match[1];
}

beforeAll(async () => {
  requireChromium();
  picket = await startPicket();
  project = await setupProject(picket, 'plugin');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-plugin-app-'));

  await buildApp('mapped', RELEASE, true);
  await buildApp('unmapped', UNMAPPED_RELEASE, false);
  pageServer = await startStaticServer(workDir);
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

  browser = await launchChromium();
  const page = await browser.newPage();
  const mappedId = await reportFromPage(page, 'mapped');
  const unmappedId = await reportFromPage(page, 'unmapped');
  await page.close();

  mappedEvent = await waitForEvent(picket, project, mappedId, EVENT_WAIT_MS);
  unmappedEvent = await waitForEvent(picket, project, unmappedId, EVENT_WAIT_MS);
}, 300_000);

afterAll(async () => {
  await browser?.close();
  if (pageServer !== undefined) {
    const server = pageServer;
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  if (workDir !== undefined) {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
  await picket?.stop();
});

describe('@sentry/esbuild-plugin 5.4.0 and Chromium', () => {
  it('plugin build stores an artifact bundle', async () => {
    const bundles = (await apiGet(
      picket!,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/files/artifact-bundles/`,
    )) as ArtifactBundle[];
    const bundle = bundles.find((candidate) => candidate.release === RELEASE);
    expect(bundle, JSON.stringify(bundles)).toBeDefined();

    const files = (await apiGet(
      picket!,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/artifact-bundles/${bundle?.bundleId ?? ''}/files/`,
    )) as ArtifactBundleFile[];
    const debugId = readDebugId(path.join(workDir!, 'mapped', 'app.min.js'));
    const map = files.find((file) => file.fileType === 'source_map');
    const minified = files.find((file) => file.fileType === 'minified_source');

    // The plugin uploads copies named for their debug ID, such as `~/<debug ID>-0.js`.
    expect(map?.filePath).toMatch(/\.js\.map$/);
    expect(map?.debugId).toBe(debugId);
    expect(minified?.filePath).toMatch(/\.js$/);
    expect(minified?.debugId).toBe(debugId);
  });

  it('builds differ in debug ID', () => {
    expect(readDebugId(path.join(workDir!, 'unmapped', 'app.min.js'))).not.toBe(
      readDebugId(path.join(workDir!, 'mapped', 'app.min.js')),
    );
  });

  it('event carries the injected release', () => {
    expect(releaseVersion(mappedEvent)).toBe(RELEASE);
    expect(releaseVersion(unmappedEvent)).toBe(UNMAPPED_RELEASE);
  });

  it('top frame maps to the original source', () => {
    const frame = topFrame(mappedEvent);
    const contextLine = frame.context?.find(([lineNo]) => lineNo === frame.lineNo)?.[1];

    expect(frame.data?.symbolication).toMatchObject({
      status: 'mapped',
      resolvedWith: 'debug-id',
    });
    expect(frame.filename).toMatch(/(^|\/)src\/app\.js$/);
    expect(frame.function).toBe('computeTotal');
    expect(frame.lineNo).toBe(THROW_LINE);
    expect(contextLine?.trim()).toBe(THROW_TEXT);
  });

  it('caller frame maps to checkout', () => {
    const frames = framesOf(mappedEvent);
    const caller = frames.at(-2);

    expect(caller?.function).toBe('checkout');
    expect(caller?.filename).toMatch(/(^|\/)src\/app\.js$/);
    expect(caller?.lineNo).toBe(
      APP_SOURCE.split('\n').findIndex((line) => line.includes('return computeTotal(cart);')) + 1,
    );
  });

  it('issue page shows the original source line', async () => {
    const page = await browser!.newPage();
    const issueUrl = `${picket!.url}/organizations/${project.orgSlug}/issues/${mappedEvent.groupID}/`;
    await logInThrough(page, issueUrl, project);
    await page.waitForURL(new RegExp(`/issues/${mappedEvent.groupID}/`));

    const activeLine = page.locator('.context-line-active').first();
    await activeLine.waitFor({ timeout: PAGE_TIMEOUT_MS });
    const fileNames = await page.locator('.frame-filename').allInnerTexts();

    expect((await activeLine.innerText()).replace(/\s+/g, ' ')).toContain(THROW_TEXT);
    expect(await activeLine.innerText()).toContain(String(THROW_LINE));
    expect(fileNames.some((name) => /(^|\/)src\/app\.js$/.test(name.trim()))).toBe(true);
    expect(await page.getByText('computeTotal').count()).toBeGreaterThan(0);
    await page.close();
  });

  it('unmapped build says why', () => {
    const frame = topFrame(unmappedEvent);
    const symbolication = frame.data?.symbolication;

    expect(frame.absPath).toMatch(/\/unmapped\/app\.min\.js$/);
    expect(frame.function).not.toBe('computeTotal');
    expect(symbolication?.status).toBe('unmapped');
    expect(symbolication?.problems[0]).toBe('no_debug_id_match');
  });
});
