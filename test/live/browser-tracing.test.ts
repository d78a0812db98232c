/**
 * Loads a page with the real @sentry/browser SDK and its browser tracing in Debian's Chromium,
 * in both trace modes, and reads the pageload trace back through the web API. The page
 * (test/clients/node/browser-tracing/) is served from another port than Picket, so every
 * envelope is a cross-origin request.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import * as esbuild from 'esbuild';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { Trace, TransactionSummary } from '../../src/shared/api/performance.js';
import {
  flushTestPage,
  launchChromium,
  requireChromium,
  startStaticServer,
} from '../helpers/chromium.js';
import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { setupProject, startPicket } from '../helpers/picket.js';
import { NODE_CLIENT_DIR } from './clients.js';
import { listTransactions, waitForTrace } from './performance-api.js';

const PAGE_DIR = path.join(NODE_CLIENT_DIR, 'browser-tracing');
const PAGE_TIMEOUT_MS = 15_000;
const FLUSH_TIMEOUT_MS = 10_000;
const WAIT_MS = 15_000;
const LIFECYCLES = ['static', 'stream'] as const;

/** What the page records in `window.__picket` (see test/clients/node/browser-tracing/app.js). */
interface PageState {
  traceId: string | null;
  pageloadSpanId: string | null;
  pageloadEnded: boolean;
  sendResults: (number | null)[];
  sendErrors: string[];
}

interface ModeResult {
  page: PageState;
  trace: Trace;
  summary: TransactionSummary | undefined;
}

let picket: PicketInstance | undefined;
let project: TestProject;
let pageServer: http.Server | undefined;
let pageOrigin: string;
let browser: Browser | undefined;
let bundleDir: string | undefined;
const results = new Map<string, ModeResult>();

async function buildPage(outdir: string): Promise<void> {
  await esbuild.build({
    entryPoints: [path.join(PAGE_DIR, 'app.js')],
    outfile: path.join(outdir, 'app.js'),
    bundle: true,
    format: 'iife',
    target: 'es2020',
    logLevel: 'warning',
  });
  fs.copyFileSync(path.join(PAGE_DIR, 'index.html'), path.join(outdir, 'index.html'));
}

async function loadPage(lifecycle: string): Promise<PageState> {
  const page = await browser!.newPage();
  const query = new URLSearchParams({ dsn: project.dsn, lifecycle });
  await page.goto(`${pageOrigin}/?${query.toString()}`);
  await page.waitForFunction(
    () => (globalThis as unknown as { __picket?: PageState }).__picket?.pageloadEnded === true,
    undefined,
    { timeout: PAGE_TIMEOUT_MS },
  );
  await flushTestPage(page, FLUSH_TIMEOUT_MS);
  const state = await page.evaluate(() => {
    const recorded = (globalThis as unknown as { __picket: PageState }).__picket;
    return {
      traceId: recorded.traceId,
      pageloadSpanId: recorded.pageloadSpanId,
      pageloadEnded: recorded.pageloadEnded,
      sendResults: recorded.sendResults,
      sendErrors: recorded.sendErrors,
    };
  });
  await page.close();
  return state;
}

beforeAll(async () => {
  requireChromium();
  picket = await startPicket();
  project = await setupProject(picket, 'browser-tracing');
  bundleDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-browser-tracing-'));
  await buildPage(bundleDir);
  pageServer = await startStaticServer(bundleDir);
  pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;
  browser = await launchChromium();

  for (const lifecycle of LIFECYCLES) {
    const state = await loadPage(lifecycle);
    if (state.traceId === null || state.pageloadSpanId === null) {
      throw new Error(`the ${lifecycle} page found no pageload span: ${JSON.stringify(state)}`);
    }
    const pageloadSpanId = state.pageloadSpanId;
    const trace = await waitForTrace(
      picket,
      project,
      state.traceId,
      (candidate) =>
        candidate.spans.some((span) => span.spanID === pageloadSpanId) &&
        candidate.spans.some((span) => span.description === 'compute cart totals'),
      WAIT_MS,
    );
    const summary = (await listTransactions(picket, project)).find(
      (candidate) => candidate.spanID === pageloadSpanId,
    );
    results.set(lifecycle, { page: state, trace, summary });
  }
});

afterAll(async () => {
  await browser?.close();
  if (pageServer !== undefined) {
    await new Promise<void>((resolve) => pageServer!.close(() => resolve()));
  }
  if (bundleDir !== undefined) {
    fs.rmSync(bundleDir, { recursive: true, force: true });
  }
  await picket?.stop();
});

describe.each(LIFECYCLES)('@sentry/browser 11.17.0 pageload (%s)', (lifecycle) => {
  it('SDK reads status 200 for every envelope', () => {
    const { page } = results.get(lifecycle)!;

    expect(page.sendErrors, 'rejected sends').toEqual([]);
    expect(page.sendResults.length, 'envelopes sent').toBeGreaterThanOrEqual(1);
    expect(page.sendResults.every((status) => status === 200)).toBe(true);
  });

  it('lists the pageload as a transaction', () => {
    const { page, summary } = results.get(lifecycle)!;

    expect(summary, `transaction of span ${page.pageloadSpanId}`).toBeDefined();
    expect(summary!.op).toBe('pageload');
    // A static pageload is named after the URL path. A streamed segment is named "Pageload"
    // with the name source `url`, and Picket names it after its `url.path` attribute.
    expect(summary!.transaction).toBe('/');
    expect(summary!.traceID).toBe(page.traceId);
    expect(summary!.release).toBe('picket-browser-client@1.0.0');
    expect(summary!.platform).toBe('javascript');
  });

  it('shows the pageload as the root of its trace', () => {
    const { page, trace } = results.get(lifecycle)!;
    const root = trace.spans.find((span) => span.spanID === page.pageloadSpanId);

    expect(root?.isTransaction).toBe(true);
    expect(root?.op).toBe('pageload');
    expect(root?.parentSpanID).toBeNull();
  });

  it('keeps the page span under the pageload', () => {
    const { page, trace } = results.get(lifecycle)!;
    const span = trace.spans.find((candidate) => candidate.description === 'compute cart totals');

    expect(span?.op).toBe('function');
    expect(span?.parentSpanID).toBe(page.pageloadSpanId);
    expect(span?.transactionID).toBe(
      trace.transactions.find((item) => item.spanID === page.pageloadSpanId)?.eventID,
    );
  });

  it('stores the browser spans of the pageload', () => {
    const { page, trace } = results.get(lifecycle)!;
    const children = trace.spans.filter((span) => span.parentSpanID === page.pageloadSpanId);

    expect(children.length, 'child spans of the pageload').toBeGreaterThanOrEqual(2);
    expect(children.every((span) => span.endTimestamp >= span.startTimestamp)).toBe(true);
  });
});
