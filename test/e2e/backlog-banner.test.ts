/**
 * The backlog banner in real Chromium. An ingest-only and a web-only process share a data
 * folder with no worker, so the events sent to ingest stay in the queue until a worker process
 * starts.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const EVENT_COUNT = 12;
// The web process shows the banner from a tenth of this backlog (5 records).
const WEB_ENV = { PICKET_QUEUE_MAX_BACKLOG: '50' };
const STATUS_PATH = '/api/0/picket/status/';

interface StatusBody {
  queue: { depth: number | null; lagSeconds: number | null };
  processingBehind: boolean;
}

describe('backlog banner', () => {
  let dataDir: string;
  let ingest: PicketInstance;
  let web: PicketInstance;
  let worker: PicketInstance | undefined;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-backlog-'));
    const setup = await startPicket({ dataDir });
    project = await setupProject(setup, 'backlog');
    await setup.stop();

    ingest = await startPicket({ dataDir, args: ['--role', 'ingest'] });
    web = await startPicket({ dataDir, args: ['--role', 'web'], env: WEB_ENV });
    browser = await launchChromium();
    page = await newPage(browser);
  }, 120_000);

  afterAll(async () => {
    await browser.close();
    await worker?.stop();
    await web.stop();
    await ingest.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function openIssues(): Promise<void> {
    const status = page.waitForResponse((response) => response.url().endsWith(STATUS_PATH));
    await page.goto(`${web.url}/organizations/${project.orgSlug}/issues/`);
    await status;
    await page.getByRole('navigation', { name: 'Main' }).waitFor();
  }

  async function readStatus(): Promise<StatusBody> {
    return (await apiGet(web, project.token, STATUS_PATH)) as StatusBody;
  }

  it('is absent while the queue is empty', async () => {
    await logIn(page, web, project, /\/organizations\//);
    await waitFor(async () => ((await readStatus()).queue.depth === 0 ? true : undefined), 30_000);
    await openIssues();

    expect(await page.locator('.backlog-banner').count()).toBe(0);
  });

  it('shows the number of waiting items when ingest runs without a worker', async () => {
    const ingestUrl = new URL(ingest.url);
    const dsn = new URL(project.dsn);
    dsn.host = ingestUrl.host;
    for (let index = 0; index < EVENT_COUNT; index += 1) {
      const response = await sendEnvelope(dsn.toString(), [
        { headers: { type: 'event' }, payload: { message: `waiting ${index}` } },
      ]);
      expect(response.status).toBe(200);
    }
    await waitFor(async () => {
      const status = await readStatus();
      return status.queue.depth === EVENT_COUNT ? true : undefined;
    }, 30_000);
    await openIssues();
    const banner = page.getByRole('status').filter({ hasText: 'Processing is behind' });
    await banner.waitFor({ timeout: 15_000 });
    await page.screenshot({ path: screenshotPath('backlog-banner.png') });

    expect(await banner.textContent()).toContain(`${EVENT_COUNT} items waiting`);
    expect(await banner.textContent()).toContain('New events will appear late');
  });

  it('disappears once a worker has processed the queue', async () => {
    worker = await startPicket({ dataDir, args: ['--role', 'worker'] });
    await waitFor(async () => ((await readStatus()).queue.depth === 0 ? true : undefined), 60_000);
    await openIssues();

    expect(await page.locator('.backlog-banner').count()).toBe(0);
  });
});
