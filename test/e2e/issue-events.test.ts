import { randomUUID } from 'node:crypto';

import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const BROWSERS = ['Chrome', 'Firefox', 'Safari'];

describe('issue events tab', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let issueId: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'eventsui');

    for (const [index, name] of BROWSERS.entries()) {
      const eventId = randomUUID().replaceAll('-', '');
      const response = await sendEnvelope(
        project.dsn,
        [
          {
            headers: { type: 'event' },
            payload: {
              event_id: eventId,
              timestamp: Date.now() / 1000 - index,
              platform: 'javascript',
              environment: index === 0 ? 'production' : 'staging',
              tags: { browser: name },
              exception: { values: [{ type: 'TypeError', value: 'x is not a function' }] },
            },
          },
        ],
        { event_id: eventId },
      );
      expect(response.status).toBe(200);
    }
    issueId = await waitFor(async () => {
      const issues = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/?query=`,
      )) as { id: string }[];
      const id = issues[0]?.id;
      if (id === undefined) {
        return undefined;
      }
      const events = (await apiGet(picket, project.token, `/api/0/issues/${id}/events/`)) as [];
      return events.length === BROWSERS.length ? id : undefined;
    });

    browser = await launchChromium();
    page = await newPage(browser, { width: 1280, height: 900 });
    await logInThrough(
      page,
      `${picket.url}/organizations/${project.orgSlug}/issues/${issueId}/`,
      project,
    );
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('opens from the issue header', async () => {
    await page.getByRole('link', { name: 'All events' }).click();
    await page.waitForURL(/\/events\/$/);

    await expect.poll(() => page.locator('.issue-events-table tbody tr').count()).toBe(3);
  });

  it('capitalizes every column header', async () => {
    const headers = await page.locator('.issue-events-table thead th').allTextContents();

    expect(headers).toEqual(['Event', 'Time', 'Title', 'Environment', 'Release', 'User']);
  });

  it('filters events by a tag search', async () => {
    await page.getByRole('searchbox', { name: 'Search events' }).fill('browser:Firefox');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.waitForURL(/query=browser%3AFirefox/);

    const rows = page.locator('.issue-events-table tbody tr');
    await expect.poll(() => rows.count()).toBe(1);
    expect(await rows.first().textContent()).toContain('staging');
    await page.screenshot({ path: screenshotPath('issue-events-search.png') });
  });

  it('shows the reason of a rejected search', async () => {
    await page.getByRole('searchbox', { name: 'Search events' }).fill('is:resolved');
    await page.getByRole('button', { name: 'Search' }).click();

    await expect
      .poll(() => page.getByText('Invalid search "is:resolved"').count())
      .toBeGreaterThan(0);
  });

  it('shows an empty state when nothing matches', async () => {
    await page.getByRole('searchbox', { name: 'Search events' }).fill('!has:browser');
    await page.getByRole('button', { name: 'Search' }).click();

    await expect.poll(() => page.getByText('No events match your search').count()).toBe(1);
  });
});
