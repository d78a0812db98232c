/**
 * Loads a page with the real @sentry/browser SDK in Debian's Chromium. The page comes from a
 * static server on another port than Picket, so every envelope is a cross-origin request, and
 * the SDK can read Picket's responses only if Picket sends CORS headers. Otherwise the SDK
 * records each send as a `network_error` outcome, which the page exposes to the test.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  flushTestPage,
  launchChromium,
  requireChromium,
  startStaticServer,
} from '../helpers/chromium.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { listIssues, waitForEvent, waitForHealthData } from './api.js';
import { NODE_CLIENT_DIR, runProgram } from './clients.js';
import type { ApiEvent, ApiIssue } from './sentry-event.js';
import {
  exceptionValues,
  expectReleaseAndEnvironment,
  findIssue,
  inAppFrames,
  tagValue,
} from './sentry-event.js';

const RELEASE = 'picket-browser-client@1.0.0';
const ENVIRONMENT = 'live-test';
const PAGE_TIMEOUT_MS = 15_000;
const FLUSH_TIMEOUT_MS = 10_000;
const EVENT_WAIT_MS = 15_000;

/** What the test page records in `window.__picket` (see test/clients/node/browser/app.js). */
interface PageState {
  sentEvents: {
    eventId: string;
    type: string | null;
    value: string | null;
    handled: boolean | null;
  }[];
  droppedEvents: { reason: string; category: string; quantity: number }[];
  sendResults: (number | null)[];
  sendErrors: string[];
  done: boolean;
}

let picket: PicketInstance | undefined;
let project: TestProject;
let pageServer: http.Server | undefined;
let pageOrigin: string;
let browser: Browser | undefined;
let pageDir: string | undefined;
let pageState: PageState;
let handledEvent: ApiEvent;
let uncaughtEvent: ApiEvent;
let issues: ApiIssue[];
let health: { totalSessions: number; sessionsErrored: number; crashFreeSessions: number | null };

function sentEvent(handled: boolean) {
  const event = pageState.sentEvents.find((candidate) => candidate.handled === handled);
  if (event === undefined) {
    throw new Error(`the page sent no event with handled=${handled}: ${JSON.stringify(pageState)}`);
  }
  return event;
}

beforeAll(async () => {
  requireChromium();
  picket = await startPicket();
  project = await setupProject(picket);

  pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-browser-page-'));
  await runProgram(process.execPath, [path.join(NODE_CLIENT_DIR, 'build-browser.mjs'), pageDir], {
    timeoutMs: 30_000,
  });
  pageServer = await startStaticServer(pageDir);
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

  browser = await launchChromium();
  const page = await browser.newPage();
  await page.goto(`${pageOrigin}/?dsn=${encodeURIComponent(project.dsn)}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { __picket?: PageState }).__picket?.done === true,
    undefined,
    { timeout: PAGE_TIMEOUT_MS },
  );
  await flushTestPage(page, FLUSH_TIMEOUT_MS);
  pageState = await page.evaluate(() => {
    const state = (globalThis as unknown as { __picket: PageState }).__picket;
    return {
      sentEvents: state.sentEvents,
      droppedEvents: state.droppedEvents,
      sendResults: state.sendResults,
      sendErrors: state.sendErrors,
      done: state.done,
    };
  });
  await browser.close();
  browser = undefined;

  handledEvent = await waitForEvent(picket, project, sentEvent(true).eventId, EVENT_WAIT_MS);
  uncaughtEvent = await waitForEvent(picket, project, sentEvent(false).eventId, EVENT_WAIT_MS);
  issues = await listIssues(picket, project);

  // The SDK starts a session on page load and updates it when the errors are captured.
  health = await waitForHealthData(
    picket,
    project,
    RELEASE,
    (data) => data.sessionsErrored >= 1,
    EVENT_WAIT_MS,
  );
});

afterAll(async () => {
  await browser?.close();
  if (pageServer !== undefined) {
    await new Promise<void>((resolve) => pageServer!.close(() => resolve()));
  }
  if (pageDir !== undefined) {
    fs.rmSync(pageDir, { recursive: true, force: true });
  }
  await picket?.stop();
});

describe('@sentry/browser 11.17.0 in Chromium', () => {
  it('SDK reports no network_error', () => {
    const networkErrors = pageState.droppedEvents.filter(
      (outcome) => outcome.reason === 'network_error',
    );
    expect(networkErrors, 'network_error outcomes (a CORS failure shows as one)').toEqual([]);
    expect(pageState.sendErrors, 'rejected sends').toEqual([]);
  });

  it('SDK reads status 200 for every envelope', () => {
    expect(pageState.sendResults.length, 'envelopes sent').toBeGreaterThanOrEqual(2);
    expect(
      pageState.sendResults.every((status) => status === 200),
      `statuses: ${pageState.sendResults.join(', ')}`,
    ).toBe(true);
  });

  it('SDK drops no event', () => {
    expect(pageState.droppedEvents, 'outcomes recorded by the SDK').toEqual([]);
  });

  it('handled error keeps type, value and frames', () => {
    const values = exceptionValues(handledEvent);
    expect(values).toHaveLength(1);
    expect(values[0]!.type).toBe('TypeError');
    expect(values[0]!.value).toBe('invoice has no lines to sum');
    expect(values[0]!.mechanism?.handled).toBe(true);

    const frames = inAppFrames(values[0]!);
    expect(frames.map((frame) => frame.function).slice(-3)).toEqual([
      'loadInvoice',
      'priceInvoice',
      'sumLines',
    ]);
    // Sentry shortens a URL filename to its path and keeps the URL in absPath.
    const last = frames.at(-1)!;
    expect(last.filename).toBe('/app.js');
    expect(last.absPath).toBe(`${pageOrigin}/app.js`);
  });

  it('handled error keeps tags and user', () => {
    expect(tagValue(handledEvent, 'handled')).toBe('yes');
    expect(tagValue(handledEvent, 'page')).toBe('checkout');
    expect(handledEvent.user?.id).toBe('7');
    expect(handledEvent.user?.username).toBe('ada');
  });

  it('handled error has release and environment', () => {
    expectReleaseAndEnvironment(handledEvent, RELEASE, ENVIRONMENT);
  });

  it('uncaught error keeps type, value and frames', () => {
    const values = exceptionValues(uncaughtEvent);
    expect(values).toHaveLength(1);
    expect(values[0]!.type).toBe('RangeError');
    expect(values[0]!.value).toBe('discount must be between 0 and 100 (got 150)');
    expect(values[0]!.mechanism?.handled).toBe(false);

    const frames = inAppFrames(values[0]!);
    expect(frames.map((frame) => frame.function).slice(-3)).toEqual([
      'checkoutInvoice',
      'applyDiscount',
      'validateDiscount',
    ]);
    const last = frames.at(-1)!;
    expect(last.filename).toBe('/app.js');
    expect(last.absPath).toBe(`${pageOrigin}/app.js`);
  });

  it('uncaught error has release and environment', () => {
    expectReleaseAndEnvironment(uncaughtEvent, RELEASE, ENVIRONMENT);
    expect(tagValue(uncaughtEvent, 'page')).toBe('checkout');
  });

  it('page-load session is counted in release health', () => {
    expect(health.totalSessions).toBe(1);
    expect(health.sessionsErrored).toBe(1);
    expect(health.crashFreeSessions).not.toBeNull();
  });

  it('both errors are listed as issues', () => {
    const handledIssue = findIssue(issues, handledEvent.groupID);
    const uncaughtIssue = findIssue(issues, uncaughtEvent.groupID);
    expect(handledIssue, `issue ${handledEvent.groupID}`).toBeDefined();
    expect(uncaughtIssue, `issue ${uncaughtEvent.groupID}`).toBeDefined();
    expect(handledIssue!.title).toBe('TypeError: invoice has no lines to sum');
    expect(uncaughtIssue!.title).toBe('RangeError: discount must be between 0 and 100 (got 150)');
  });
});
