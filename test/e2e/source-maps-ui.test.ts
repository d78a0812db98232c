/**
 * The source map UI in Chromium, against a real upload: sentry-cli 3.8.0 injects debug IDs into
 * a minified esbuild bundle and uploads it, then events with that bundle's real minified frames
 * arrive. The issue page shows the badges, the summary, the minified view and the checklist of
 * an unmapped frame. The project's source maps page lists and deletes the bundle, and the
 * release page counts its files.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
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
  APP_ORIGIN,
  URL_PREFIX,
  buildApp,
  captureMinifiedFrames,
  readInjectedDebugId,
  runSentryCli,
  type CliRun,
  type MinifiedFrame,
} from './source-map-app.js';

const RELEASE = 'shop@2.1.0';
/** A second release that the same build is uploaded for, giving a second bundle with its ID. */
const SECOND_RELEASE = 'shop@2.2.0';
const MAPPED_EVENT_ID = '5a5a0001000000000000000000000001';
const UNMAPPED_EVENT_ID = '5a5a0002000000000000000000000002';
const APP_URL = `${APP_ORIGIN}/assets/app.min.js`;
/** A vendor file that was never uploaded, so its frame stays unmapped. */
const VENDOR_URL = `${APP_ORIGIN}/assets/vendor.min.js`;
/** The unmapped event's file, which the release does not have either. */
const LEGACY_URL = `${APP_ORIGIN}/assets/legacy.min.js`;
const XSS_PAYLOAD = '<img src=x onerror=window.__xss=1>';
const EVENT_WAIT_MS = 30_000;

interface ApiFrame {
  filename: string | null;
  function: string | null;
  data: { symbolication?: { status: string; resolvedWith?: string; problems: string[] } } | null;
}

interface ApiEvent {
  groupID: string;
  entries: {
    type: string;
    data: { values?: { stacktrace: { frames: ApiFrame[] } | null }[] };
  }[];
}

let picket: PicketInstance;
let project: TestProject;
let browser: Browser;
let page: Page;
let workDir: string;
let injectRun: CliRun;
let uploadRun: CliRun;
let debugId: string;
let appFrames: MinifiedFrame[];
let mappedEvent: ApiEvent;
let unmappedEvent: ApiEvent;

function exceptionEvent(eventId: string, overrides: Record<string, unknown>) {
  return {
    event_id: eventId,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    release: RELEASE,
    environment: 'production',
    ...overrides,
  };
}

async function sendAndWait(payload: { event_id: string }): Promise<ApiEvent> {
  const response = await sendEnvelope(project.dsn, [{ headers: { type: 'event' }, payload }], {
    event_id: payload.event_id,
  });
  expect(response.status).toBe(200);

  return waitFor(
    async () =>
      (await apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${payload.event_id}/`,
      )) as ApiEvent,
    EVENT_WAIT_MS,
  );
}

function framesOf(event: ApiEvent): ApiFrame[] {
  const exception = event.entries.find((entry) => entry.type === 'exception');
  return exception?.data.values?.[0]?.stacktrace?.frames ?? [];
}

/** Uploads a legacy release file through the per-file release file API. */
async function uploadReleaseFile(name: string, content: string): Promise<void> {
  const form = new FormData();
  form.append('name', name);
  form.append('file', new Blob([content]), 'file.js');
  const response = await fetch(
    `${picket.url}/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(RELEASE)}/files/`,
    { method: 'POST', headers: { authorization: `Bearer ${project.token}` }, body: form },
  );
  expect(response.status, await response.text()).toBe(201);
}

function issuePath(event: ApiEvent): string {
  return `${picket.url}/organizations/${project.orgSlug}/issues/${event.groupID}/`;
}

function settingsPath(): string {
  return `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/source-maps/`;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'smaps');
  workDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-source-map-ui-'));

  const appFile = await buildApp(workDir, 'assets/app.min.js');
  injectRun = await runSentryCli(picket, project, workDir, ['sourcemaps', 'inject', 'dist']);
  uploadRun = await runSentryCli(picket, project, workDir, [
    'sourcemaps',
    'upload',
    '--release',
    RELEASE,
    '--url-prefix',
    URL_PREFIX,
    '--wait',
    'dist/assets',
  ]);
  debugId = readInjectedDebugId(appFile);
  appFrames = captureMinifiedFrames(appFile, APP_URL);

  const vendorFrame = { ...appFrames[0]!, filename: VENDOR_URL, function: 'e', colno: 4711 };
  mappedEvent = await sendAndWait(
    exceptionEvent(MAPPED_EVENT_ID, {
      exception: {
        values: [
          {
            type: 'RangeError',
            value: 'cart is empty (0 items)',
            mechanism: { type: 'generic', handled: true },
            stacktrace: { frames: [vendorFrame, ...appFrames] },
          },
        ],
      },
      debug_meta: { images: [{ type: 'sourcemap', code_file: APP_URL, debug_id: debugId }] },
    }),
  );

  const xssFrame = { ...appFrames[0]!, filename: `${APP_ORIGIN}/assets/${XSS_PAYLOAD}.js` };
  unmappedEvent = await sendAndWait(
    exceptionEvent(UNMAPPED_EVENT_ID, {
      fingerprint: ['legacy-checkout'],
      exception: {
        values: [
          {
            type: 'TypeError',
            value: 'legacy checkout failed',
            stacktrace: {
              frames: [xssFrame, ...appFrames.map((frame) => ({ ...frame, filename: LEGACY_URL }))],
            },
          },
        ],
      },
    }),
  );

  browser = await launchChromium();
  page = await newPage(browser, { width: 1280, height: 1000 });
  await logInThrough(page, issuePath(mappedEvent), project);
  await page.waitForURL(/\/issues\/\d+\/$/);
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await picket?.stop();
  if (workDir !== undefined) {
    fs.rmSync(workDir, { recursive: true, force: true });
  }
});

describe('source map upload and events', () => {
  it('sentry-cli injects and uploads', () => {
    expect(injectRun.code, injectRun.stderr).toBe(0);
    expect(uploadRun.code, uploadRun.stderr).toBe(0);
  });

  it('maps the app frames by debug ID', () => {
    const frames = framesOf(mappedEvent);

    expect(frames.map((frame) => frame.data?.symbolication?.status)).toEqual([
      'unmapped',
      ...appFrames.map(() => 'mapped'),
    ]);
    expect(frames.at(-1)?.data?.symbolication?.resolvedWith).toBe('debug-id');
    expect(frames.at(-1)?.function).toBe('submitOrder');
  });

  it('leaves the legacy frames unmapped', () => {
    const problems = framesOf(unmappedEvent).map((frame) => frame.data?.symbolication?.problems);

    expect(problems.at(-1)).toEqual(['no_file_at_url']);
  });
});

describe('issue page of a mapped event', () => {
  it('counts the mapped frames', async () => {
    const summary = page.locator('.mapping-summary');
    await summary.waitFor();

    await expect(summary.textContent()).resolves.toBe(
      `${appFrames.length} of ${appFrames.length + 1} frames mapped`,
    );
  });

  it('labels each frame', async () => {
    const mapped = page.locator('.frame [data-mapping="mapped"]');
    const unmapped = page.locator('.frame [data-mapping="unmapped"]');

    await expect(mapped.count()).resolves.toBe(appFrames.length);
    await expect(mapped.first().textContent()).resolves.toBe('Mapped by debug ID');
    await expect(unmapped.count()).resolves.toBe(1);
    await expect(unmapped.textContent()).resolves.toBe('Not mapped');
  });

  it('shows the original file, function and line', async () => {
    const crashingFrame = page.locator('.frame').first();

    await expect(crashingFrame.locator('.frame-filename').textContent()).resolves.toContain(
      'checkout.js',
    );
    await expect(crashingFrame.locator('.frame-function').textContent()).resolves.toBe(
      'submitOrder',
    );
    await expect(
      crashingFrame.locator('.context-line-active .context-line-text').textContent(),
    ).resolves.toContain("throw new RangeError('cart is empty ('");
    await page.screenshot({ path: screenshotPath('source-maps-mapped.png'), fullPage: true });
  });

  it('words the missing vendor map in the processing errors', async () => {
    await expect(page.getByRole('note').textContent()).resolves.toContain(
      `No source map was found for ${VENDOR_URL}`,
    );
  });

  it('toggles to the minified frames and back', async () => {
    await page.getByRole('button', { name: 'Minified' }).click();

    const filenames = page.locator('.frame .frame-filename');
    await expect(filenames.first().textContent()).resolves.toContain('app.min.js');
    await expect(page.locator('.frame [data-mapping]').count()).resolves.toBe(0);
    await expect(
      page.getByRole('button', { name: 'Minified' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');

    await page.getByRole('button', { name: 'Original' }).click();

    await expect(filenames.first().textContent()).resolves.toContain('checkout.js');
  });
});

describe('issue page of an unmapped event', () => {
  it('shows the checklist of the crashing frame', async () => {
    await page.goto(issuePath(unmappedEvent));
    const checklist = page.getByRole('region', { name: 'Why this frame is not mapped' });
    await checklist.waitFor();

    await expect(checklist.textContent()).resolves.toContain(
      `Release ${RELEASE} has no file at ~/assets/legacy.min.js`,
    );
    await expect(checklist.locator('pre').textContent()).resolves.toBe(
      `sentry-cli sourcemaps upload --wait --org ${project.orgSlug} --project ${project.projectSlug} --release ${RELEASE} --url-prefix '~/assets' ./dist`,
    );
    await expect(checklist.locator('.frame-mapping-command-note').textContent()).resolves.toBe(
      'Run it with ./dist replaced by the folder that holds legacy.min.js, because sentry-cli adds the path of each file below that folder to the URL prefix.',
    );
    await page.screenshot({ path: screenshotPath('source-maps-unmapped.png'), fullPage: true });
  });

  it('marks every frame as not mapped', async () => {
    await expect(page.locator('.frame [data-mapping="unmapped"]').count()).resolves.toBe(
      appFrames.length + 1,
    );
    await expect(page.locator('.mapping-summary').textContent()).resolves.toBe(
      `0 of ${appFrames.length + 1} frames mapped`,
    );
  });

  it('shows a hostile file name as text', async () => {
    const oldestFrame = page.locator('.frame').last();
    await oldestFrame.locator('.frame-title').click();

    await expect(oldestFrame.locator('.frame-mapping').textContent()).resolves.toContain(
      XSS_PAYLOAD,
    );
    await expect(page.evaluate(() => (window as { __xss?: number }).__xss)).resolves.toBe(
      undefined,
    );
  });

  it('links to the source maps page', async () => {
    await page
      .getByRole('region', { name: 'Why this frame is not mapped' })
      .first()
      .getByRole('link', { name: `Source maps of ${project.projectSlug}` })
      .click();

    await page.waitForURL(/\/source-maps\/$/);
    await page.getByRole('heading', { name: 'Source Maps' }).waitFor();
  });
});

describe('source maps page', () => {
  it('lists the uploaded bundle', async () => {
    await page.goto(settingsPath());
    const bundle = page.locator('tbody[data-bundle-id]');
    await bundle.waitFor();

    await expect(bundle.count()).resolves.toBe(1);
    await expect(bundle.locator('tr').first().textContent()).resolves.toContain(RELEASE);
  });

  it('lists the files of the bundle', async () => {
    const bundle = page.locator('tbody[data-bundle-id]');
    await bundle.locator('.artifact-row-toggle').click();
    const files = bundle.locator('table tbody tr');
    await files.first().waitFor();

    const minified = bundle.locator('tr[data-file-path="~/assets/app.min.js"]');
    const map = bundle.locator('tr[data-file-path="~/assets/app.min.js.map"]');
    await expect(files.count()).resolves.toBe(2);
    await expect(minified.textContent()).resolves.toContain('Minified source');
    await expect(minified.textContent()).resolves.toContain(debugId);
    await expect(map.textContent()).resolves.toContain('Source map');
    await page.screenshot({ path: screenshotPath('source-maps-page.png'), fullPage: true });
  });

  it('is linked from the client keys page', async () => {
    await page.goto(
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/keys/`,
    );
    await page.getByRole('main').getByRole('link', { name: 'Source maps' }).click();

    await page.waitForURL(/\/source-maps\/$/);
    await page.locator('tbody[data-bundle-id]').waitFor();
  });
});

describe('release page', () => {
  it('counts and lists the artifacts', async () => {
    await uploadReleaseFile('~/assets/legacy-extra.js', 'window.legacy = true;');
    await page.goto(
      `${picket.url}/organizations/${project.orgSlug}/releases/${encodeURIComponent(RELEASE)}/`,
    );
    const artifacts = page.locator('.release-artifacts');
    const count = artifacts.getByTestId('artifact-count');
    await count.waitFor();

    await expect(count.textContent()).resolves.toBe('3 files');
    await expect(
      artifacts.getByRole('table', { name: 'Artifact bundles of this release' }).textContent(),
    ).resolves.toContain(project.projectSlug);
    await expect(
      artifacts.getByRole('table', { name: `Files of release ${RELEASE}` }).textContent(),
    ).resolves.toContain('~/assets/legacy-extra.js');
  });
});

describe('release files on the source maps page', () => {
  it('lists and deletes a release file', async () => {
    await page.goto(settingsPath());
    const group = page.locator(`li[data-release="${RELEASE}"]`);
    await group.getByRole('button', { name: `Files of ${RELEASE}` }).click();
    const file = group.locator('tr[data-file-name="~/assets/legacy-extra.js"]');
    await file.waitFor();

    await file
      .getByRole('button', { name: 'Delete release file ~/assets/legacy-extra.js' })
      .click();
    await group.getByRole('alertdialog').getByRole('button', { name: 'Yes, delete' }).click();

    const withoutFiles = page.locator('details.releases-without-files');
    await withoutFiles.waitFor();

    await expect(group.count()).resolves.toBe(0);
    await expect(withoutFiles.locator('summary').textContent()).resolves.toBe(
      '1 release without files',
    );
    await expect(
      withoutFiles.locator(`li[data-release-without-files="${RELEASE}"]`).count(),
    ).resolves.toBe(1);
    const files = await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/releases/${encodeURIComponent(RELEASE)}/files/`,
    );
    expect(files).toEqual([]);
  });
});

describe('deleting a bundle', () => {
  it('names every release that loses it', async () => {
    const secondUpload = await runSentryCli(picket, project, workDir, [
      'sourcemaps',
      'upload',
      '--release',
      SECOND_RELEASE,
      '--url-prefix',
      URL_PREFIX,
      '--wait',
      'dist/assets',
    ]);
    expect(secondUpload.code, secondUpload.stderr).toBe(0);
    await page.goto(settingsPath());
    const rows = page.locator('tbody[data-bundle-id]');
    await expect.poll(() => rows.count()).toBe(2);
    const bundleId = await rows.first().getAttribute('data-bundle-id');
    await expect(rows.last().getAttribute('data-bundle-id')).resolves.toBe(bundleId);

    const idCell = rows.first().locator('td').first();
    const cellBefore = await idCell.boundingBox();
    await page
      .getByRole('button', { name: `Delete bundle ${bundleId}` })
      .first()
      .click();
    const dialog = page.getByRole('alertdialog');
    await dialog.getByText('all 2 are removed').waitFor();
    const cellAfter = await idCell.boundingBox();

    // The width may shrink by a scrollbar when the page grows, but the ID keeps its line count,
    // and one more line would add about 15 pixels.
    expect(Math.abs((cellAfter?.height ?? 0) - (cellBefore?.height ?? 0))).toBeLessThan(2);
    await expect(dialog.textContent()).resolves.toContain(
      `Delete bundle ${bundleId}? It was uploaded 2 times, for releases ${SECOND_RELEASE}, ${RELEASE}; all 2 are removed.`,
    );
  });

  it('removes it after confirmation', async () => {
    const dialog = page.getByRole('alertdialog');
    let releaseDelete = () => {};
    const deleteHeld = new Promise<void>((resolve) => {
      releaseDelete = resolve;
    });
    await page.route(/\/files\/artifact-bundles\/\?bundleId=/, async (route) => {
      await deleteHeld;
      await route.continue();
    });

    await dialog.getByRole('button', { name: 'Yes, delete' }).click();
    await dialog.getByRole('status').waitFor();

    await expect(dialog.getByRole('status').textContent()).resolves.toBe('Deleting…');
    await expect(dialog.getByRole('button', { name: 'Deleting…' }).isDisabled()).resolves.toBe(
      true,
    );
    releaseDelete();

    await page.getByText('No artifact bundles uploaded yet').waitFor();
    const bundles = await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/files/artifact-bundles/`,
    );
    expect(bundles).toEqual([]);
  });

  it('shows the upload commands for the project', async () => {
    const commands = await page.locator('.empty-state pre').allTextContents();

    expect(commands).toContain(
      `sentry-cli sourcemaps inject ./dist\nsentry-cli sourcemaps upload --wait --org ${project.orgSlug} --project ${project.projectSlug} ./dist`,
    );
    expect(commands).toContain(
      `sentry-cli sourcemaps upload --wait --org ${project.orgSlug} --project ${project.projectSlug} --release ${RELEASE} --url-prefix '~/assets' ./dist`,
    );
    expect(commands[0]).toContain(`export SENTRY_URL=${picket.url}/`);
    await expect(page.locator('.empty-state .upload-folder-note').textContent()).resolves.toContain(
      'replaced by the folder that holds app.min.js',
    );
  });

  it('runs the token command through npx', async () => {
    const help = await page.locator('.upload-help').textContent();

    expect(help).toContain('npx picket token create --user');
    expect(help).toContain('in the folder that the Picket server runs from');
  });
});

describe('release page of a percent-encoded name', () => {
  it.each(['a%2Fb', '50%'])('opens release %s from its link', async (version) => {
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
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/releases/`);
    await page.getByRole('link', { name: version, exact: true }).click();
    const heading = page.locator('h1.release-title');
    await heading.waitFor();

    await expect(heading.getAttribute('title')).resolves.toBe(version);
    expect(page.url()).toBe(
      `${picket.url}/organizations/${project.orgSlug}/releases/${encodeURIComponent(version)}/`,
    );
  });
});
