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

const EVENT_ID = 'd'.repeat(32);

/** A Python error whose `log_failure` frame a stack-trace rule removes from grouping. */
const EVENT = {
  event_id: EVENT_ID,
  platform: 'python',
  level: 'error',
  exception: {
    values: [
      {
        type: 'InvoiceError',
        value: 'invoice 42 has no lines',
        stacktrace: {
          frames: [
            {
              function: 'handle_request',
              module: 'shop.views',
              filename: 'shop/views.py',
              in_app: true,
            },
            {
              function: 'build_invoice',
              module: 'shop.billing',
              filename: 'shop/billing.py',
              in_app: true,
            },
            {
              function: 'log_failure',
              module: 'shop.logs',
              filename: 'shop/logs.py',
              in_app: true,
            },
          ],
        },
      },
    ],
  },
};

describe('grouping UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let issueId: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'groupingui');

    browser = await launchChromium();
    page = await newPage(browser, { width: 1280, height: 1000 });
    await logInThrough(
      page,
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/keys/`,
      project,
    );
    await page.waitForURL(/\/keys\//);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('opens the grouping settings from the client keys page', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Grouping' }).click();

    await page.waitForURL(/\/projects\/[^/]+\/grouping\/$/);
    await page.getByRole('heading', { name: 'Grouping', exact: true }).waitFor();
  });

  it('opens the grouping settings from the inbound filters page', async () => {
    await page.goto(
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/filters/`,
    );
    await page.getByRole('heading', { name: 'Inbound Filters' }).waitFor();
    await page.getByRole('main').getByRole('link', { name: 'Grouping', exact: true }).click();

    await page.waitForURL(/\/projects\/[^/]+\/grouping\/$/);
    await page.getByRole('heading', { name: 'Grouping', exact: true }).waitFor();
  });

  it('shows invalid lines and saves nothing', async () => {
    await page.getByLabel('Fingerprint rules').fill('error.type:A -> a\ncolour:red -> b');
    await page.getByRole('button', { name: 'Save grouping rules' }).click();

    const error = page.getByText('unknown matcher "colour"');
    await error.waitFor();
    await expect(page.locator('.grouping-line-errors').textContent()).resolves.toContain('Line 2:');
    const details = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as { fingerprintingRules: string };
    expect(details.fingerprintingRules).toBe('');
  });

  it('saves a stack-trace rule', async () => {
    await page.getByLabel('Fingerprint rules').fill('');
    await page.getByLabel('Stack trace rules').fill('stack.function:log_* -group');
    await page.getByRole('button', { name: 'Save grouping rules' }).click();

    await page.getByRole('status').getByText('Saved.').waitFor();
    await page.screenshot({ path: screenshotPath('grouping-settings.png') });
    const details = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as { groupingEnhancements: string };
    expect(details.groupingEnhancements).toBe('stack.function:log_* -group');
  });

  it('shows the contributing frames on the issue page', async () => {
    // The worker reads changed rules again after two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const response = await sendEnvelope(
      project.dsn,
      [{ headers: { type: 'event' }, payload: EVENT }],
      {
        event_id: EVENT_ID,
      },
    );
    expect(response.status).toBe(200);
    const event = await waitFor(
      async () =>
        (await apiGet(
          picket,
          project.token,
          `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${EVENT_ID}/`,
        )) as { groupID: string },
    );
    issueId = event.groupID;

    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${issueId}/`);
    await page.getByRole('button', { name: 'Show grouping info' }).click();
    const app = page.getByRole('region', { name: 'Variant app' });
    await app.waitFor();

    const frameNodes = app.locator('[data-component="frame"]');
    await expect(frameNodes.count()).resolves.toBe(3);
    const contributing = app.locator('[data-component="frame"][data-contributes="true"]');
    await expect(contributing.count()).resolves.toBe(2);
    await expect(contributing.nth(0).textContent()).resolves.toContain('handle_request');
    await expect(contributing.nth(1).textContent()).resolves.toContain('build_invoice');
    const ignored = app.locator('[data-component="frame"][data-contributes="false"]');
    await expect(ignored.textContent()).resolves.toContain('log_failure');
    await expect(ignored.textContent()).resolves.toContain('-group');
    await expect(app.textContent()).resolves.toContain('issue hash');
    await page.screenshot({ path: screenshotPath('grouping-panel.png'), fullPage: true });
  });
  it('shows the title a fingerprint rule sets', async () => {
    await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
      { fingerprintingRules: 'error.type:TitleProbeError -> probes title="All title probes"' },
    );
    // The worker reads changed rules again after two seconds.
    await new Promise((resolve) => setTimeout(resolve, 2_200));
    const eventId = 'e'.repeat(32);
    await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: {
            event_id: eventId,
            level: 'error',
            exception: { values: [{ type: 'TitleProbeError', value: 'probe 1' }] },
          },
        },
      ],
      { event_id: eventId },
    );
    const event = await waitFor(
      async () =>
        (await apiGet(
          picket,
          project.token,
          `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${eventId}/`,
        )) as { groupID: string },
    );
    const issue = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${event.groupID}/`,
    )) as { title: string };
    expect(issue.title).toBe('All title probes');

    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${event.groupID}/`);
    const header = page.locator('.issue-header .issue-title');
    await header.waitFor();
    await expect(header.textContent()).resolves.toBe('All title probes');

    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/`);
    const row = page.locator(`[data-issue-id="${event.groupID}"] .issue-title`);
    await row.waitFor();
    await expect(row.textContent()).resolves.toBe('All title probes');
  });
});
