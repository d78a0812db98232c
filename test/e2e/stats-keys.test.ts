/**
 * The Stats page, the key settings form and the spike protection banner in Chromium against a
 * real server.
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

interface KeyBody {
  rateLimit: { window: number; count: number } | null;
  allowedDomains: string[];
  name: string;
}

let seed = 0;

function errorItem() {
  seed += 1;
  return { headers: { type: 'event' }, payload: { message: `stats page ${seed}`, level: 'error' } };
}

describe('Stats page and key settings', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let keyPath: string;

  beforeAll(async () => {
    picket = await startPicket({
      env: {
        PICKET_SPIKE_PROTECTION_MIN_PER_MINUTE: '3',
        PICKET_SPIKE_PROTECTION_WARMUP_MINUTES: '0',
      },
    });
    project = await setupProject(picket, 'statsui');
    keyPath = `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`;

    browser = await launchChromium();
    page = await newPage(browser);

    await logIn(page, picket, project, new RegExp(`/organizations/${project.orgSlug}/issues/`));
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('sets a key rate limit, name and allowed domains from the keys page', async () => {
    await page.goto(
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/keys/`,
    );
    const form = page.getByRole('form', { name: 'Settings of Default' });
    await form.waitFor();

    await form.getByLabel('Name').fill('Browser key');
    await form.getByLabel('Events allowed').fill('1');
    await form.getByLabel('Rate limit window').selectOption({ label: 'per hour' });
    await form.getByLabel('Allowed domains').fill('*.example.com\nhttps://shop.test');
    await form.getByRole('button', { name: 'Save key' }).click();
    await page.getByRole('status').filter({ hasText: 'Key saved.' }).waitFor();
    const key = (await apiGet(picket, project.token, keyPath)) as KeyBody;

    expect(key.name).toBe('Browser key');
    expect(key.rateLimit).toEqual({ window: 3600, count: 1 });
    expect(key.allowedDomains).toEqual(['*.example.com', 'https://shop.test']);
    await page.screenshot({ path: screenshotPath('key-settings.png'), fullPage: true });
  });

  it('shows a validation message for an invalid domain', async () => {
    const form = page.getByRole('form', { name: 'Settings of Browser key' });
    await form.getByLabel('Allowed domains').fill('https://example.com/path');
    await form.getByRole('button', { name: 'Save key' }).click();

    const alert = form.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('Invalid allowed domain');
  });

  it('disables a key from the keys page', async () => {
    const form = page.getByRole('form', { name: 'Settings of Browser key' });
    await form.getByLabel('Allowed domains').fill('*');
    await form.getByLabel(/Enabled/).uncheck();
    await form.getByRole('button', { name: 'Save key' }).click();
    await waitFor(async () => {
      const key = (await apiGet(picket, project.token, keyPath)) as { isActive: boolean };
      return key.isActive ? undefined : true;
    });

    const refused = await sendEnvelope(project.dsn, [errorItem()]);
    await apiRequest(picket, project.token, 'PUT', keyPath, { isActive: true });

    expect(refused.status).toBe(403);
  });

  it('charts accepted and rate limited events with their reasons', async () => {
    const accepted = await sendEnvelope(project.dsn, [errorItem()]);
    const limited = await sendEnvelope(project.dsn, [errorItem()]);
    await sendEnvelope(project.dsn, [
      {
        headers: { type: 'client_report' },
        payload: {
          discarded_events: [{ reason: 'ratelimit_backoff', category: 'error', quantity: 2 }],
        },
      },
    ]);
    expect(accepted.status).toBe(200);
    expect(limited.status).toBe(429);

    await page.getByRole('link', { name: 'Stats', exact: true }).click();
    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/stats/`));
    const totals = page.getByRole('list', { name: 'Totals' });
    await waitFor(async () => {
      await page.reload();
      await totals.waitFor();
      const rateLimited = await totals.locator('[data-outcome="rate_limited"]').textContent();
      const discarded = await totals.locator('[data-outcome="client_discard"]').textContent();
      return rateLimited === '1' && discarded === '2' ? true : undefined;
    }, 20_000);

    await expect(totals.locator('[data-outcome="accepted"]').textContent()).resolves.toBe('1');
    await expect(page.locator('.stats-chart .stats-bar').count()).resolves.toBe(24);
    const reasons = page.locator('.stats-reasons');
    await expect(reasons.textContent()).resolves.toContain('key_quota');
    await expect(reasons.textContent()).resolves.toContain('ratelimit_backoff');
    await page.screenshot({ path: screenshotPath('stats-page.png'), fullPage: true });
  });

  it('switches the period and the project', async () => {
    await page.getByRole('button', { name: '7d' }).click();
    await page.waitForURL(/statsPeriod=7d/);
    await page.locator('.stats-chart .stats-bar').nth(167).waitFor();

    await page.getByLabel('Project').last().selectOption({ label: project.projectSlug });
    await page.waitForURL(new RegExp(`project=${project.projectId}`));

    await expect(page.locator('.stats-chart .stats-bar').count()).resolves.toBe(168);
    await expect(
      page.getByRole('list', { name: 'Totals' }).locator('[data-outcome="accepted"]').textContent(),
    ).resolves.toBe('1');
  });

  it('shows the spike protection banner on the issue list and the project settings', async () => {
    const spiking = await setupProject(picket, 'spikeui');
    const remaining = 60_000 - (Date.now() % 60_000);
    if (remaining < 15_000) {
      await new Promise((resolve) => setTimeout(resolve, remaining + 100));
    }
    const statuses: number[] = [];
    for (let index = 0; index < 5; index += 1) {
      statuses.push((await sendEnvelope(spiking.dsn, [errorItem()])).status);
    }
    expect(statuses).toContain(429);

    const spikePage = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    await logIn(
      spikePage,
      picket,
      spiking,
      new RegExp(`/organizations/${spiking.orgSlug}/issues/`),
    );
    const banner = spikePage.locator('.spike-banner');
    await banner.waitFor();

    await expect(banner.textContent()).resolves.toContain('Spike protection is active');
    await expect(banner.textContent()).resolves.toContain(spiking.projectSlug);
    await spikePage.screenshot({ path: screenshotPath('spike-banner.png') });

    await spikePage.goto(
      `${picket.url}/settings/${spiking.orgSlug}/projects/${spiking.projectSlug}/keys/`,
    );
    const settingsBanner = spikePage.locator('.key-settings .spike-banner');
    await settingsBanner.waitFor();
    await expect(settingsBanner.textContent()).resolves.toContain('Spike protection is active');
    await spikePage.close();
  });
});
