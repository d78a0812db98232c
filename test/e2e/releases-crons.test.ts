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

const RELEASE = 'web-app@2.1.0';
const EVENTS_RELEASE = 'web-app@2.0.0';
// A version that is markup: the page must show it as text.
const MARKUP_RELEASE = '<img src=x onerror=alert(1)>';
const NIGHTLY_CHECK_IN = '5f2b8a0c1d3e4f5a6b7c8d9e0f1a2b3c';

function session(release: string, overrides: Record<string, unknown>) {
  const now = new Date().toISOString();
  return {
    headers: { type: 'session' },
    payload: {
      init: true,
      started: now,
      timestamp: now,
      status: 'exited',
      errors: 0,
      attrs: { release, environment: 'production' },
      ...overrides,
    },
  };
}

function checkIn(payload: Record<string, unknown>) {
  return { headers: { type: 'check_in' }, payload: { environment: 'production', ...payload } };
}

async function sendTestData(project: TestProject): Promise<void> {
  const sessions = [
    session(RELEASE, { sid: '1'.repeat(32), did: 'ada' }),
    session(RELEASE, { sid: '2'.repeat(32), did: 'ada' }),
    session(RELEASE, { sid: '3'.repeat(32), did: 'bob' }),
    session(RELEASE, { sid: '4'.repeat(32), did: 'bob', status: 'crashed', errors: 1 }),
    session(MARKUP_RELEASE, { sid: '5'.repeat(32) }),
  ];
  const eventId = 'e'.repeat(32);
  const event = {
    headers: { type: 'event' },
    payload: {
      event_id: eventId,
      release: EVENTS_RELEASE,
      exception: { values: [{ type: 'RangeError', value: 'page out of range' }] },
    },
  };
  expect(
    (await sendEnvelope(project.dsn, [...sessions, event], { event_id: eventId })).status,
  ).toBe(200);

  const nightlyConfig = {
    schedule: { type: 'crontab', value: '0 3 * * *' },
    timezone: 'Europe/Berlin',
    checkin_margin: 10,
  };
  await sendEnvelope(project.dsn, [
    checkIn({
      check_in_id: NIGHTLY_CHECK_IN,
      monitor_slug: 'ui-nightly',
      status: 'in_progress',
      monitor_config: nightlyConfig,
    }),
    checkIn({
      check_in_id: '6'.repeat(32),
      monitor_slug: 'ui-failing',
      status: 'error',
      duration: 4.2,
      monitor_config: { schedule: { type: 'interval', value: 10, unit: 'minute' } },
    }),
    checkIn({
      check_in_id: '7'.repeat(32),
      monitor_slug: 'ui-running',
      status: 'in_progress',
      monitor_config: { schedule: { type: 'interval', value: 1, unit: 'day' } },
    }),
  ]);
  await waitFor(() =>
    apiGet(
      picketFor(project),
      project.token,
      `/api/0/organizations/${project.orgSlug}/monitors/ui-nightly/`,
    ),
  );
  await sendEnvelope(project.dsn, [
    checkIn({
      check_in_id: NIGHTLY_CHECK_IN,
      monitor_slug: 'ui-nightly',
      status: 'ok',
      duration: 185,
    }),
  ]);
}

let picketInstance: PicketInstance;
const picketFor = (_project: TestProject) => picketInstance;

describe('releases and crons UI', () => {
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  const dialogs: string[] = [];

  beforeAll(async () => {
    picketInstance = await startPicket();
    project = await setupProject(picketInstance, 'health-ui');
    await sendTestData(project);

    await waitFor(async () => {
      const releases = (await apiGet(
        picketInstance,
        project.token,
        `/api/0/organizations/${project.orgSlug}/releases/?health=1`,
      )) as {
        version: string;
        firstEvent: string | null;
        projects: { hasHealthData: boolean }[];
      }[];
      const ready =
        releases.length === 3 &&
        releases.find((release) => release.version === EVENTS_RELEASE)?.firstEvent !== null &&
        releases.find((release) => release.version === RELEASE)?.projects[0]?.hasHealthData ===
          true;
      return ready ? true : undefined;
    });
    await waitFor(async () => {
      const checkIns = (await apiGet(
        picketInstance,
        project.token,
        `/api/0/organizations/${project.orgSlug}/monitors/ui-nightly/checkins/`,
      )) as { status: string }[];
      return checkIns[0]?.status === 'ok' ? true : undefined;
    });

    browser = await launchChromium();
    page = await newPage(browser);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });

    await logIn(
      page,
      picketInstance,
      project,
      new RegExp(`/organizations/${project.orgSlug}/issues/`),
    );
  });

  afterAll(async () => {
    await browser?.close();
    await picketInstance?.stop();
  });

  it('opens the releases page from the navigation', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Releases' })
      .click();

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/releases/`));
    await page.locator('tbody.release-group').first().waitFor();
    await expect(page.title()).resolves.toBe(`Releases — ${project.orgSlug} — Picket`);
  });

  it('lists the crash-free rates of a release', async () => {
    const group = page.locator(`tbody[data-release="${RELEASE}"]`);
    const cells = await group.locator('td').allTextContents();

    expect(await group.locator('th').textContent()).toContain('2.1.0');
    expect(cells[0]).toBe(project.projectSlug);
    expect(cells[1]).toBe('4');
    expect(cells[2]).toBe('75%');
    expect(cells[3]).toBe('50%');
    await page.screenshot({ path: screenshotPath('release-list.png'), fullPage: true });
  });

  it('shows dashes for a release without sessions', async () => {
    const cells = await page
      .locator(`tbody[data-release="${EVENTS_RELEASE}"] td`)
      .allTextContents();

    expect(cells[1]).toBe('—');
    expect(cells[2]).toBe('—');
    expect(cells[4]).toBe('1');
  });

  it('shows a markup version as text', async () => {
    const group = page.locator('tbody.release-group').filter({ hasText: MARKUP_RELEASE });

    await expect(group.count()).resolves.toBe(1);
    await expect(page.locator('tbody.release-group img').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('filters releases by version', async () => {
    await page.getByLabel('Search releases').fill('2.0');
    await page.getByRole('button', { name: 'Search' }).click();

    await page.waitForURL(/query=2\.0/);
    await waitFor(async () =>
      (await page.locator('tbody.release-group').count()) === 1 ? true : undefined,
    );
    await expect(page.locator('tbody.release-group').getAttribute('data-release')).resolves.toBe(
      EVENTS_RELEASE,
    );
  });

  it('opens a release page with the health of each project', async () => {
    await page.goto(`${picketInstance.url}/organizations/${project.orgSlug}/releases/`);
    await page.locator(`tbody[data-release="${RELEASE}"] a`).click();

    await page.waitForURL(new RegExp(`/releases/${encodeURIComponent(RELEASE)}/`));
    const row = page.locator(`tr[data-project="${project.projectSlug}"]`);
    await row.waitFor();
    const cells = await row.locator('td').allTextContents();
    expect(await page.getByRole('heading', { level: 1 }).textContent()).toBe('2.1.0');
    expect(cells.slice(0, 5)).toEqual(['4', '75%', '2', '50%', '1']);
    await page.screenshot({ path: screenshotPath('release-page.png'), fullPage: true });
  });

  it('opens the crons page with each monitor status and schedule', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Crons' })
      .click();

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/crons/`));
    await page.locator('tr[data-monitor]').first().waitFor();
    const rowOf = (slug: string) => page.locator(`tr[data-monitor="${slug}"]`);

    await expect(rowOf('ui-nightly').locator('[data-status]').textContent()).resolves.toBe(
      'productionOK',
    );
    await expect(
      rowOf('ui-failing').locator('[data-status]').getAttribute('data-status'),
    ).resolves.toBe('error');
    await expect(
      rowOf('ui-running').locator('[data-status]').getAttribute('data-status'),
    ).resolves.toBe('active');
    await expect(rowOf('ui-nightly').locator('.monitor-schedule').textContent()).resolves.toBe(
      '0 3 * * * (Europe/Berlin)',
    );
    await expect(rowOf('ui-failing').locator('.monitor-schedule').textContent()).resolves.toBe(
      'Every 10 minutes',
    );
    await page.screenshot({ path: screenshotPath('monitor-list.png'), fullPage: true });
  });

  it('lists failing monitors first', async () => {
    const slugs = await page
      .locator('tr[data-monitor]')
      .evaluateAll((rows) => rows.map((row) => row.getAttribute('data-monitor')));
    expect(slugs[0]).toBe('ui-failing');
  });

  it('opens a monitor page with its check-ins', async () => {
    await page.locator('tr[data-monitor="ui-nightly"] a').click();

    await page.waitForURL(/\/crons\/ui-nightly\//);
    const checkIn = page.locator('tr[data-check-in]');
    await checkIn.first().waitFor();
    await expect(checkIn.count()).resolves.toBe(1);
    await expect(checkIn.locator('[data-status]').getAttribute('data-status')).resolves.toBe('ok');
    await expect(checkIn.locator('td').nth(2).textContent()).resolves.toBe('3 min 5 s');
    await expect(page.locator('.key-value-table').textContent()).resolves.toContain('10 min');
    await page.screenshot({ path: screenshotPath('monitor-page.png'), fullPage: true });
  });

  it('shows a not-found page for an unknown monitor', async () => {
    await page.goto(
      `${picketInstance.url}/organizations/${project.orgSlug}/crons/no-such-monitor/`,
    );

    await page.getByText('Monitor not found').waitFor();
    await expect(page.getByRole('link', { name: 'All monitors' }).isVisible()).resolves.toBe(true);
  });
});
