/**
 * Creates a cron monitor through the form of the Crons page in Chromium, checks in to the URL
 * that its page shows, then mutes and deletes it from that page.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  startPicket,
  setupProject,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const MONITOR_NAME = 'Nightly backup';
const MONITOR_SLUG = 'nightly-backup';

describe('monitor creation UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let checkInUrl: string;
  const dialogs: string[] = [];

  const monitorApiPath = () => `/api/0/organizations/${project.orgSlug}/monitors/${MONITOR_SLUG}/`;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'crons-ui');

    browser = await launchChromium();
    page = await newPage(browser);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.accept();
    });

    await logIn(page, picket, project, new RegExp(`/organizations/${project.orgSlug}/issues/`));
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('opens the crons page without monitors', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Crons' })
      .click();

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/crons/`));
    await page.getByText('No monitors yet').waitFor();
  });

  it('shows the server error for an invalid crontab', async () => {
    await page.getByRole('button', { name: 'New monitor' }).click();
    const form = page.getByRole('form', { name: 'New monitor' });
    await form.getByLabel('Name').fill(MONITOR_NAME);
    await form.getByLabel('Project').selectOption(project.projectSlug);
    await form.getByLabel('Crontab', { exact: true }).check();
    await form.getByLabel('Crontab schedule').fill('0 25 * * *');
    await form.getByRole('button', { name: 'Create monitor' }).click();

    const alert = form.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toMatch(
      /^Unable to create the monitor: Invalid config: Schedule is invalid/,
    );
  });

  it('creates a monitor and opens its page', async () => {
    const form = page.getByRole('form', { name: 'New monitor' });
    await form.getByLabel('Crontab schedule').fill('0 3 * * *');
    await form.getByLabel('Check-in margin (minutes)').fill('5');
    await form.getByLabel('Max runtime (minutes)').fill('20');
    await form.getByLabel('Time zone').selectOption('Europe/Berlin');
    await page.screenshot({ path: screenshotPath('monitor-form.png'), fullPage: true });
    await form.getByRole('button', { name: 'Create monitor' }).click();

    await page.waitForURL(new RegExp(`/crons/${MONITOR_SLUG}/`));
    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(MONITOR_NAME);
    const config = await page.locator('.key-value-table').textContent();
    expect(config).toContain('0 3 * * * (Europe/Berlin)');
    expect(config).toContain('5 min');
    expect(config).toContain('20 min');
  });

  it('shows the check-in URL of the project key', async () => {
    const shown = page.locator('[data-check-in-url]');
    await shown.waitFor();
    checkInUrl = (await shown.textContent()) ?? '';

    expect(checkInUrl).toBe(
      `${picket.url}/api/${project.projectId}/cron/${MONITOR_SLUG}/${project.publicKey}/`,
    );
    await expect(page.locator('.check-in-url pre').textContent()).resolves.toContain(
      `curl "${checkInUrl}?status=ok"`,
    );
  });

  it('lists a check-in sent to the shown URL', async () => {
    const response = await fetch(`${checkInUrl}?status=ok&environment=production&duration=3`);
    expect(response.status).toBe(202);

    await waitFor(async () => {
      await page.reload();
      await page.getByRole('heading', { level: 1 }).waitFor();
      return (await page.locator('tr[data-check-in]').count()) === 1 ? true : undefined;
    });
    const checkIn = page.locator('tr[data-check-in]');
    await expect(checkIn.locator('[data-status]').getAttribute('data-status')).resolves.toBe('ok');
    await expect(checkIn.locator('td').nth(2).textContent()).resolves.toBe('3 s');
    await page.screenshot({ path: screenshotPath('monitor-created.png'), fullPage: true });
  });

  it('lists the monitor with its status on the crons page', async () => {
    await page.getByRole('navigation', { name: 'Breadcrumb' }).getByRole('link').click();

    const row = page.locator(`tr[data-monitor="${MONITOR_SLUG}"]`);
    await row.waitFor();
    await expect(row.locator('[data-status]').getAttribute('data-status')).resolves.toBe('ok');
    await expect(row.locator('th a').textContent()).resolves.toBe(MONITOR_NAME);
  });

  it('mutes and unmutes the monitor', async () => {
    await page.locator(`tr[data-monitor="${MONITOR_SLUG}"] a`).click();
    await page.getByRole('button', { name: 'Mute', exact: true }).click();

    await page.getByRole('button', { name: 'Unmute' }).waitFor();
    await expect(page.locator('.monitor-muted').textContent()).resolves.toBe('Muted');
    await expect(apiGet(picket, project.token, monitorApiPath())).resolves.toMatchObject({
      isMuted: true,
    });

    await page.getByRole('button', { name: 'Unmute' }).click();
    await page.getByRole('button', { name: 'Mute', exact: true }).waitFor();
    await expect(apiGet(picket, project.token, monitorApiPath())).resolves.toMatchObject({
      isMuted: false,
    });
  });

  it('deletes the monitor after confirmation', async () => {
    await page.getByRole('button', { name: 'Delete' }).click();

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/crons/$`));
    await page.getByText('No monitors yet').waitFor();
    expect(dialogs).toEqual([
      `Delete the monitor "${MONITOR_NAME}" with all its check-ins? This cannot be undone.`,
    ]);
    const response = await fetch(`${picket.url}${monitorApiPath()}`, {
      headers: { authorization: `Bearer ${project.token}` },
    });
    expect(response.status).toBe(404);
  });
});
