/**
 * Bulk actions of the issue list that need server work beyond the status change: assignment,
 * merge, review, bookmarks, archiving until escalating, the environment filter and the `X-Hits`
 * count behind "select all issues matching this search".
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage } from '../helpers/chromium.js';
import {
  apiGet,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { issueFor, sendPlannedEvents, type ListedIssue } from './issue-list-helpers.js';

const ASSIGNED = 'Payment gateway timeout';
const MERGE_TARGET = 'Order total mismatch';
const MERGE_SOURCE = 'Order total mismatch in tax';
const REVIEWED = 'Avatar upload rejected';
const BOOKMARKED = 'Session cookie missing';
const ARCHIVED = 'Deprecated API call';
const STAGING = 'Staging only failure';
const NOISE_COUNT = 27;

interface DetailedIssue extends ListedIssue {
  assignedTo: { type: string; id: string; name: string } | null;
  isBookmarked: boolean;
  status: string;
  substatus: string | null;
}

describe('issue list bulk actions', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let issues: Map<string, ListedIssue>;
  let listUrl: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'bulk');
    const production = [ASSIGNED, MERGE_TARGET, MERGE_SOURCE, REVIEWED, BOOKMARKED, ARCHIVED];
    issues = await sendPlannedEvents(picket, project, [
      ...production.map((message) => ({
        message,
        environment: 'production',
        count: message === MERGE_TARGET ? 3 : 1,
      })),
      { message: STAGING, environment: 'staging', count: 1 },
      ...Array.from({ length: NOISE_COUNT }, (_, index) => ({
        message: `Noise ${noiseSuffix(index)}`,
        environment: 'production',
        count: 1,
      })),
    ]);

    listUrl = `${picket.url}/organizations/${project.orgSlug}/issues/`;
    browser = await launchChromium();
    page = await newPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await logInThrough(page, listUrl, project);
    await page.locator('.issue-row').first().waitFor();
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  const row = (message: string) =>
    page.locator(`[data-issue-id="${issueFor(issues, message).id}"]`);
  const toolbar = () => page.getByRole('toolbar', { name: 'Actions on selected issues' });
  const readIssue = async (message: string) =>
    (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${issueFor(issues, message).id}/`,
    )) as DetailedIssue;

  async function openList(query: string) {
    await page.goto(`${listUrl}?query=${encodeURIComponent(query)}`);
    await page.locator('.issue-row').first().waitFor();
  }

  async function selectRows(...messages: string[]) {
    for (const message of messages) {
      await row(message).getByRole('checkbox').check();
    }
  }

  it('assigns a selected issue to a member', async () => {
    await openList(ASSIGNED);
    await selectRows(ASSIGNED);
    const select = toolbar().getByLabel('Assign to');
    await select.locator('option', { hasText: project.email }).waitFor({ state: 'attached' });

    await select.selectOption({ label: project.email });
    await page.getByRole('status').filter({ hasText: 'Assigned 1 issue to' }).waitFor();
    await row(ASSIGNED).locator('.avatar').waitFor();

    const issue = await readIssue(ASSIGNED);
    expect(issue.assignedTo?.type).toBe('user');
    await expect(row(ASSIGNED).locator('.avatar').getAttribute('aria-label')).resolves.toMatch(
      /^Assigned to /,
    );
  });

  it('assigns a selected issue to a team', async () => {
    await openList(ASSIGNED);
    await selectRows(ASSIGNED);

    await toolbar()
      .getByLabel('Assign to')
      .selectOption({ label: `#${project.teamSlug}` });
    await page
      .getByRole('status')
      .filter({ hasText: `to #${project.teamSlug}` })
      .waitFor();

    const issue = await readIssue(ASSIGNED);
    expect(issue.assignedTo?.type).toBe('team');
  });

  it('merges two selected issues', async () => {
    await openList('Order total');
    await selectRows(MERGE_TARGET, MERGE_SOURCE);

    await toolbar().getByRole('button', { name: 'Merge' }).click();
    await page.getByRole('status').filter({ hasText: 'Merged 2 issues.' }).waitFor();
    await row(MERGE_SOURCE).waitFor({ state: 'detached' });

    await expect(row(MERGE_TARGET).count()).resolves.toBe(1);
    await expect(row(MERGE_TARGET).locator('.issue-count').first().textContent()).resolves.toBe(
      '4',
    );
  });

  it('keeps merge disabled for one issue', async () => {
    await openList(REVIEWED);
    await selectRows(REVIEWED);

    await expect(toolbar().getByRole('button', { name: 'Merge' }).isDisabled()).resolves.toBe(true);
  });

  it('marks a selected issue reviewed', async () => {
    await openList(`is:for_review ${REVIEWED}`);
    await selectRows(REVIEWED);

    await toolbar().getByRole('button', { name: 'Mark Reviewed' }).click();
    await page.getByRole('status').filter({ hasText: 'Marked 1 issue reviewed.' }).waitFor();
    await row(REVIEWED).waitFor({ state: 'detached' });

    const issue = await readIssue(REVIEWED);
    expect(issue.substatus).toBe('ongoing');
  });

  it('bookmarks a selected issue', async () => {
    await openList(`is:unresolved ${BOOKMARKED}`);
    await selectRows(BOOKMARKED);

    await toolbar().getByRole('button', { name: 'Bookmark', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Bookmarked 1 issue.' }).waitFor();
    await row(BOOKMARKED).getByRole('img', { name: 'Bookmarked' }).waitFor();
    await page.getByRole('tab', { name: 'Bookmarked' }).click();
    await page.waitForURL(/bookmarks%3Ame/);

    await row(BOOKMARKED).waitFor();
    await expect(page.locator('.issue-row').count()).resolves.toBe(1);
    expect((await readIssue(BOOKMARKED)).isBookmarked).toBe(true);
  });

  it('archives a selected issue until it escalates', async () => {
    await openList(`is:unresolved ${ARCHIVED}`);
    await selectRows(ARCHIVED);

    await toolbar().getByLabel('Archive').selectOption('escalating');
    await page.getByRole('status').filter({ hasText: 'Archived 1 issue until' }).waitFor();
    await row(ARCHIVED).waitFor({ state: 'detached' });

    const issue = await readIssue(ARCHIVED);
    expect(issue.status).toBe('ignored');
    expect(issue.substatus).toBe('archived_until_escalating');
  });

  it('filters rows by environment', async () => {
    await openList('');
    await page.getByLabel('Environment').selectOption('staging');
    await page.waitForURL(/environment=staging/);
    await page.waitForFunction(() => document.querySelectorAll('.issue-row').length === 1);

    await expect(row(STAGING).count()).resolves.toBe(1);
  });

  it('resolves every issue matching the search', async () => {
    await openList('is:unresolved Noise');
    await page.getByLabel('Select all issues on this page').check();
    const selectAll = page.getByRole('button', {
      name: `Select all ${NOISE_COUNT} issues matching this search`,
    });

    await selectAll.click();
    await page.getByText(`All ${NOISE_COUNT} issues matching this search are selected.`).waitFor();
    await toolbar().getByRole('button', { name: 'Resolve', exact: true }).click();
    await page
      .getByRole('status')
      .filter({ hasText: `Resolved ${NOISE_COUNT} issues.` })
      .waitFor();

    const remaining = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/?query=${encodeURIComponent('is:unresolved Noise')}`,
    )) as ListedIssue[];
    expect(remaining).toEqual([]);
  });
});

/** Returns `aa`, `ab`, ... because grouping replaces numbers in messages with a placeholder. */
function noiseSuffix(index: number): string {
  const letters = 'abcdefghijklmnopqrstuvwxyz';
  return `${letters[Math.floor(index / letters.length)]}${letters[index % letters.length]}`;
}
