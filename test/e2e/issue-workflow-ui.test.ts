/**
 * The workflow controls of the issue page in Debian's Chromium: resolve in the next release,
 * archive until a number of occurrences, assign, comment, bookmark, unmerge and discard. Each
 * change made in the page is checked through the API.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
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

interface Issue {
  id: string;
  status: string;
  statusDetails: Record<string, unknown>;
  assignedTo: { type: string; email?: string } | null;
  isBookmarked: boolean;
  hasSeen: boolean;
  numComments: number;
}

let eventCounter = 0;

describe('issue workflow in the web UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  const issuePath = (id: string) => `/api/0/organizations/${project.orgSlug}/issues/${id}/`;
  const getIssue = (id: string) => apiGet(picket, project.token, issuePath(id)) as Promise<Issue>;

  /** Sends one event of the group and returns the id of its issue once stored. */
  async function sendEvent(group: string): Promise<string> {
    eventCounter += 1;
    const id = `e2e${String(eventCounter).padStart(29, '0')}`;
    await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: {
            event_id: id,
            level: 'error',
            fingerprint: [group],
            exception: { values: [{ type: group, value: 'broken' }] },
          },
        },
      ],
      { event_id: id },
    );
    return waitFor(async () => {
      const found = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/eventids/${id}/`,
      ).catch(() => undefined)) as { groupId: string } | undefined;
      return found?.groupId;
    });
  }

  async function openIssue(id: string) {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${id}/`);
    await page.locator('.issue-header').waitFor();
  }

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'wfui');
    await sendEvent('ui-first');
    browser = await launchChromium();
    page = await newPage(browser);
    await logIn(page, picket, project, /\/issues\//);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('resolves in the next release', async () => {
    const id = await sendEvent('ui-next-release');
    await openIssue(id);
    await page.getByText('More resolve options').click();
    await page.getByRole('button', { name: 'Resolve in next release' }).click();
    await page.getByText('This issue is resolved in the next release').waitFor();

    const issue = await getIssue(id);
    expect(issue.status).toBe('resolved');
    expect(issue.statusDetails.inNextRelease).toBe(true);
    expect(issue.hasSeen).toBe(true);
  });

  it('archives until a number of occurrences', async () => {
    const id = await sendEvent('ui-archive');
    await openIssue(id);
    await page.locator('summary', { hasText: 'Archive' }).click();
    await page.getByLabel('Until this many occurrences').fill('5');
    await page.screenshot({ path: screenshotPath('issue-archive-menu.png') });
    await page
      .locator('form', { has: page.getByLabel('Until this many occurrences') })
      .getByRole('button', { name: 'Archive' })
      .click();
    await page.getByText('archived until it occurs 5 more times').waitFor();

    const issue = await getIssue(id);
    expect(issue.status).toBe('ignored');
    expect(issue.statusDetails.ignoreCount).toBe(5);
  });

  it('assigns the issue to a member', async () => {
    const id = await sendEvent('ui-assign');
    await openIssue(id);
    await page.getByText('Assignee: Unassigned').click();
    await page.getByLabel('Search members and teams').fill(project.email.slice(0, 6));
    await page.getByRole('list', { name: 'Assignees' }).getByRole('button').first().click();
    await page.locator('summary', { hasText: /^Assignee: (?!Unassigned)/ }).waitFor();

    const issue = await getIssue(id);
    expect(issue.assignedTo?.type).toBe('user');
    expect(issue.assignedTo?.email).toBe(project.email);
  });

  it('adds, edits and deletes a comment', async () => {
    const id = await sendEvent('ui-comment');
    await openIssue(id);
    const text = 'Checking the <b>payment</b> logs';
    await page.getByLabel('Comment', { exact: true }).fill(text);
    await page.getByRole('button', { name: 'Add comment' }).click();
    const entry = page.locator('.activity-note', { hasText: 'Checking the' });
    await entry.waitFor();
    await expect(entry.locator('.activity-text').textContent()).resolves.toBe(text);
    await expect(entry.locator('b').count()).resolves.toBe(0);
    expect((await getIssue(id)).numComments).toBe(1);

    await entry.getByRole('button', { name: 'Edit' }).click();
    await page.getByLabel('Edit comment').fill('Found the cause');
    await page.getByRole('button', { name: 'Save' }).click();
    await page.locator('.activity-note', { hasText: 'Found the cause' }).waitFor();

    await page
      .locator('.activity-note', { hasText: 'Found the cause' })
      .getByRole('button', { name: 'Delete' })
      .click();
    await page.locator('.activity-note').waitFor({ state: 'detached' });
    expect((await getIssue(id)).numComments).toBe(0);
  });

  it('bookmarks the issue', async () => {
    const id = await sendEvent('ui-bookmark');
    await openIssue(id);
    const button = page.getByRole('button', { name: /Bookmark/ });
    await button.click();
    await page.locator('button[aria-pressed="true"]', { hasText: 'Bookmark' }).waitFor();
    expect((await getIssue(id)).isBookmarked).toBe(true);
  });

  it('unmerges a selected hash', async () => {
    const first = await sendEvent('ui-merge-a');
    await sendEvent('ui-merge-a');
    const second = await sendEvent('ui-merge-b');
    await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/organizations/${project.orgSlug}/issues/?id=${first}&id=${second}`,
      { merge: true },
    );
    await openIssue(first);
    const panel = page.locator('.merged-hashes');
    await panel.locator('input[type="checkbox"]').first().waitFor();
    await expect(panel.locator('input[type="checkbox"]').count()).resolves.toBe(2);
    await panel.locator('li', { hasText: 'ui-merge-b' }).locator('input').check();
    await panel.getByRole('button', { name: 'Unmerge selected' }).click();
    await panel.getByText('a new issue').waitFor();
    await page.screenshot({ path: screenshotPath('issue-workflow.png'), fullPage: true });

    const hashes = (await apiGet(picket, project.token, `${issuePath(first)}hashes/`)) as unknown[];
    expect(hashes).toHaveLength(1);
  });

  it('keeps the sidebar panels apart when the page scrolls', async () => {
    const tagged = async (group: string, index: number) => {
      const id = `fa${String(index).padStart(30, '0')}`;
      const tags = Object.fromEntries(
        Array.from({ length: 8 }, (_, key) => [`key${key}`, `value${index}-${key}`]),
      );
      await sendEnvelope(
        project.dsn,
        [
          {
            headers: { type: 'event' },
            payload: {
              event_id: id,
              level: 'error',
              fingerprint: [group],
              tags: { ...tags, id: `py${index}` },
              exception: { values: [{ type: group, value: 'broken' }] },
            },
          },
        ],
        { event_id: id },
      );
      return waitFor(async () => {
        const found = (await apiGet(
          picket,
          project.token,
          `/api/0/organizations/${project.orgSlug}/eventids/${id}/`,
        ).catch(() => undefined)) as { groupId: string } | undefined;
        return found?.groupId;
      });
    };
    const first = await tagged('ui-side-a', 0);
    await tagged('ui-side-a', 1);
    const second = await tagged('ui-side-b', 2);
    await apiRequest(
      picket,
      project.token,
      'PUT',
      `/api/0/organizations/${project.orgSlug}/issues/?id=${first}&id=${second}`,
      { merge: true },
    );
    await page.setViewportSize({ width: 1440, height: 700 });
    try {
      await openIssue(first);
      await page.locator('.tag-value', { hasText: 'py0' }).waitFor();
      await page.locator('.merged-hashes input[type="checkbox"]').nth(1).waitFor();
      await page.mouse.wheel(0, 900);
      await page.waitForTimeout(200);
      await page.screenshot({ path: screenshotPath('issue-sidebar-scrolled.png') });

      const boxes = await page.locator('.issue-sidebar > .panel').evaluateAll((panels) =>
        panels.map((panel) => {
          const rect = panel.getBoundingClientRect();
          return { top: rect.top, bottom: rect.bottom };
        }),
      );
      expect(boxes).toHaveLength(4);
      for (let index = 1; index < boxes.length; index += 1) {
        expect(boxes[index]!.top).toBeGreaterThanOrEqual(boxes[index - 1]!.bottom);
      }
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });

  it('deletes and discards the issue', async () => {
    const id = await sendEvent('ui-discard');
    await openIssue(id);
    await page.getByRole('button', { name: 'Delete and discard' }).click();
    await page.getByRole('button', { name: 'Yes, delete and discard' }).click();
    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/issues/(\\?.*)?$`));

    const response = await fetch(`${picket.url}${issuePath(id)}`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(response.status).toBe(404);
  });
});
