import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  apiRequest,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { issueFor, sendPlannedEvents, type ListedIssue } from './issue-list-helpers.js';

const FREQUENT = 'Checkout failed for cart';
const STAGING = 'Staging cache miss';
const RARE = 'Profile image too large';
const SECOND_RARE = 'Search index stale';

describe('issue list', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let issues: Map<string, ListedIssue>;
  let listUrl: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'list');
    issues = await sendPlannedEvents(picket, project, [
      { message: FREQUENT, environment: 'production', count: 3 },
      { message: STAGING, environment: 'staging', count: 2 },
      { message: RARE, environment: 'production', count: 1 },
      { message: SECOND_RARE, environment: 'production', count: 1 },
    ]);

    listUrl = `${picket.url}/organizations/${project.orgSlug}/issues/`;
    browser = await launchChromium();
    page = await newPage(browser);
    page.on('dialog', (dialog) => void dialog.accept());
    await logInThrough(page, listUrl, project);
    await page.locator('.issue-row').first().waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  const row = (message: string) =>
    page.locator(`[data-issue-id="${issueFor(issues, message).id}"]`);

  it('labels the sparkline with the 24-hour total', async () => {
    const sparkline = row(FREQUENT).locator('svg.sparkline');
    await sparkline.waitFor();

    await expect(sparkline.getAttribute('aria-label')).resolves.toBe(
      '3 events in the last 24 hours',
    );
    await expect(sparkline.getAttribute('role')).resolves.toBe('img');
    await expect(sparkline.locator('rect.sparkline-bar').count()).resolves.toBe(24);
  });

  it('sorts by events and records the sort in the URL', async () => {
    await page.getByLabel('Sort by').selectOption('freq');
    await page.waitForURL(/sort=freq/);
    await page.waitForFunction(
      (id) => document.querySelector('.issue-row')?.getAttribute('data-issue-id') === id,
      issueFor(issues, FREQUENT).id,
    );

    const first = await page.locator('.issue-row').first().getAttribute('data-issue-id');
    expect(first).toBe(issueFor(issues, FREQUENT).id);
  });

  it('sorts by first seen', async () => {
    await page.getByLabel('Sort by').selectOption('new');
    await page.waitForURL(/sort=new/);
    await page.waitForFunction(
      (id) => document.querySelector('.issue-row')?.getAttribute('data-issue-id') === id,
      issueFor(issues, SECOND_RARE).id,
    );

    const ids = await page
      .locator('.issue-row')
      .evaluateAll((rows) => rows.map((element) => element.getAttribute('data-issue-id')));
    expect(ids[0]).toBe(issueFor(issues, SECOND_RARE).id);
    expect(ids.at(-1)).toBe(issueFor(issues, FREQUENT).id);
  });

  it('lists environments and records the choice in the URL', async () => {
    const select = page.getByLabel('Environment');
    await select.locator('option', { hasText: 'staging' }).waitFor({ state: 'attached' });

    const options = await select.locator('option').allTextContents();
    await select.selectOption('staging');
    await page.waitForURL(/environment=staging/);

    expect(options).toEqual(['All environments', 'production', 'staging']);
    expect(new URL(page.url()).searchParams.get('sort')).toBe('new');
  });

  it('restores the view from a link', async () => {
    await page.goto(`${listUrl}?sort=freq&environment=production&statsPeriod=7d`);
    await page.locator('.issue-row').first().waitFor();

    await expect(page.getByLabel('Sort by').inputValue()).resolves.toBe('freq');
    await expect(page.getByLabel('Environment').inputValue()).resolves.toBe('production');
    await expect(page.getByLabel('Time range').inputValue()).resolves.toBe('7d');
  });

  it('records the time range in the URL', async () => {
    await page.getByLabel('Time range').selectOption('30d');

    await page.waitForURL(/statsPeriod=30d/);
    expect(new URL(page.url()).searchParams.get('environment')).toBe('production');
  });

  it('resolves two selected issues', async () => {
    await page.goto(listUrl);
    await row(RARE).waitFor();
    await row(RARE).getByRole('checkbox').check();
    await row(SECOND_RARE).getByRole('checkbox').check();
    await page.screenshot({ path: screenshotPath('issue-list-selection.png'), fullPage: true });

    await page.getByRole('toolbar').getByRole('button', { name: 'Resolve', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Resolved 2 issues.' }).waitFor();
    await row(RARE).waitFor({ state: 'detached' });

    await expect(row(SECOND_RARE).count()).resolves.toBe(0);
    await expect(row(FREQUENT).count()).resolves.toBe(1);
    const resolved = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/?query=is:resolved`,
    )) as ListedIssue[];
    expect(resolved.map((issue) => issue.title).sort()).toEqual([RARE, SECOND_RARE].sort());
  });

  it('selects every row with the header checkbox', async () => {
    await page.getByLabel('Select all issues on this page').check();

    const checked = await page
      .locator('.issue-row .issue-select')
      .evaluateAll((boxes) => boxes.map((box) => (box as HTMLInputElement).checked));
    expect(checked.length).toBe(2);
    expect(checked.every(Boolean)).toBe(true);

    await page.getByLabel('Select all issues on this page').uncheck();
  });

  it('saves a search and applies it again', async () => {
    await page.goto(`${listUrl}?query=is%3Aunresolved%20Checkout&sort=freq`);
    await row(FREQUENT).waitFor();
    await page.getByText('Saved Searches', { exact: true }).click();
    await page.getByRole('button', { name: 'Save Current Search' }).click();
    await page.getByLabel('Name').fill('Checkout by events');
    await page.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByRole('status').filter({ hasText: 'Saved the search' }).waitFor();

    await page.goto(listUrl);
    await row(STAGING).waitFor();
    await page.getByText('Saved Searches', { exact: true }).click();
    await page.getByRole('button', { name: 'Checkout by events', exact: true }).click();
    await page.waitForURL(/sort=freq/);
    await row(STAGING).waitFor({ state: 'detached' });

    const url = new URL(page.url());
    expect(url.searchParams.get('query')).toBe('is:unresolved Checkout');
    expect(url.searchParams.get('sort')).toBe('freq');
    await expect(row(FREQUENT).count()).resolves.toBe(1);
    await expect(page.getByLabel('Search issues').inputValue()).resolves.toBe('Checkout');
  });

  it('deletes an own saved search', async () => {
    await page.getByText('Saved Searches', { exact: true }).click();
    await page.getByRole('button', { name: 'Delete saved search Checkout by events' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted the saved search' }).waitFor();

    await page.getByText('No saved searches yet.').waitFor();
    const saved = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/searches/`,
    )) as unknown[];
    expect(saved).toEqual([]);
  });

  it('deletes an organization saved search', async () => {
    await apiRequest(
      picket,
      project.token,
      'POST',
      `/api/0/organizations/${project.orgSlug}/searches/`,
      { name: 'Shared checkout', query: 'Checkout', sort: 'date', visibility: 'organization' },
    );
    await page.reload();
    await page.getByText('Saved Searches', { exact: true }).click();
    const item = page.locator('.saved-search-item', { hasText: 'Shared checkout' });
    await item.locator('.badge-organization').waitFor();
    await item.getByRole('button', { name: 'Delete saved search Shared checkout' }).click();
    await page.getByRole('status').filter({ hasText: 'Deleted the saved search' }).waitFor();

    const saved = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/searches/`,
    )) as unknown[];
    expect(saved).toEqual([]);
  });

  it('switches quick filters through the query', async () => {
    await page.goto(listUrl);
    await row(FREQUENT).waitFor();
    await page.getByRole('tab', { name: 'Resolved', exact: true }).click();
    await page.waitForURL(/query=is%3Aresolved/);
    await row(RARE).waitFor();

    await expect(row(FREQUENT).count()).resolves.toBe(0);
  });
});
