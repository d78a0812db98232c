/**
 * The "Data retention" section of the project general settings page: the storage figures and
 * the event cap form, driven in Chromium against the built server.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { buildEnvelope, newEventId, postEnvelope } from '../helpers/envelopes.js';
import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  apiRequest,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const HOSTILE_NAME = '<img src=x onerror="window.__picketXss=1">';

let picket: PicketInstance;
let project: TestProject;
let browser: Browser;
let page: Page;

function projectPath(): string {
  return `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`;
}

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'retainui');
  await apiRequest(picket, project.token, 'PUT', projectPath(), { name: HOSTILE_NAME });
  const eventId = newEventId();
  const response = await postEnvelope(
    project,
    buildEnvelope({ event_id: eventId }, [
      {
        headers: { type: 'event' },
        payload: { event_id: eventId, message: 'kept', level: 'error' },
      },
    ]),
  );
  expect(response.status).toBe(200);
  await waitFor(async () => {
    const storage = (await apiGet(picket, project.token, `${projectPath()}picket-storage/`)) as {
      eventsKept: number;
    };
    return storage.eventsKept === 1 ? true : undefined;
  }, 30_000);

  browser = await launchChromium();
  page = await newPage(browser);
  await logInThrough(
    page,
    `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/general/`,
    project,
  );
  await page.waitForURL(/\/general\/$/);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await picket?.stop();
});

describe('data retention section', () => {
  it('shows the events kept and the retention', async () => {
    const figures = page.getByLabel('Stored data');
    await figures.waitFor();

    expect(await figures.textContent()).toContain('Events kept1');
    expect(await figures.textContent()).toContain('90 days');
    await page.screenshot({ path: screenshotPath('data-retention.png'), fullPage: true });
  });

  it('saves the event cap', async () => {
    await page.getByLabel('Max events kept').fill('500');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await page.getByRole('status').filter({ hasText: 'Saved.' }).waitFor();
    const saved = (await apiGet(picket, project.token, projectPath())) as {
      picketMaxEvents: number | null;
    };

    expect(saved.picketMaxEvents).toBe(500);
  });

  it('clears the event cap when the field is empty', async () => {
    await page.getByLabel('Max events kept').fill('');
    await page.getByRole('button', { name: 'Save cap' }).click();
    await waitFor(async () => {
      const saved = (await apiGet(picket, project.token, projectPath())) as {
        picketMaxEvents: number | null;
      };
      return saved.picketMaxEvents === null ? true : undefined;
    }, 10_000);

    expect(await page.getByLabel('Max events kept').inputValue()).toBe('');
  });

  it('shows a markup project name as text', async () => {
    expect(await page.getByLabel('Name').inputValue()).toBe(HOSTILE_NAME);
    expect(await page.evaluate(() => (window as { __picketXss?: number }).__picketXss)).toBe(
      undefined,
    );
  });
});
