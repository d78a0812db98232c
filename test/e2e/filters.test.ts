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

const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const MARKUP_PATTERN = '<img src=x onerror=alert(1)>*';

interface ProjectFilter {
  id: string;
  active: boolean | string[];
}

describe('inbound filters page', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  const filtersPath = () => `/api/0/projects/${project.orgSlug}/${project.projectSlug}/filters/`;
  const activeOf = async (filterId: string) => {
    const filters = (await apiGet(picket, project.token, filtersPath())) as ProjectFilter[];
    return filters.find((filter) => filter.id === filterId)?.active;
  };

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'filterui');

    const eventId = 'c'.repeat(32);
    const response = await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: {
            event_id: eventId,
            platform: 'python',
            message: 'crawled',
            request: { headers: { 'User-Agent': GOOGLEBOT } },
          },
        },
      ],
      { event_id: eventId },
    );
    expect(response.status).toBe(200);
    await waitFor(async () => {
      const stats = (await apiGet(picket, project.token, `${filtersPath()}stats/`)) as {
        counts: Record<string, number>;
      };
      return stats.counts['web-crawlers'] === 1 ? true : undefined;
    });

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

  it('opens from the client keys page', async () => {
    await page.getByRole('main').getByRole('link', { name: 'Inbound filters' }).click();

    await page.waitForURL(/\/projects\/[^/]+\/filters\/$/);
    await page.getByRole('heading', { name: 'Inbound Filters' }).waitFor();
    await expect(page.title()).resolves.toBe(
      `Inbound Filters — ${project.projectSlug} — ${project.orgSlug} — Picket`,
    );
  });

  it('shows the default switches of a new project', async () => {
    const switchState = (name: RegExp) => page.getByRole('switch', { name }).isChecked();

    await expect(switchState(/browser extensions/)).resolves.toBe(true);
    await expect(switchState(/web crawlers/)).resolves.toBe(true);
    await expect(switchState(/health-check/)).resolves.toBe(true);
    await expect(switchState(/localhost/)).resolves.toBe(false);
  });

  it('shows how many events the crawler filter dropped', async () => {
    const row = page.locator('[data-filter-id="web-crawlers"]');

    await expect(row.locator('.filter-dropped').textContent()).resolves.toBe(
      '1 event dropped in the last 30 days',
    );
  });

  it('switches the localhost filter on through the API', async () => {
    await page.getByRole('switch', { name: /localhost/ }).click();

    await waitFor(async () => ((await activeOf('localhost')) === true ? true : undefined));
    await expect(page.getByRole('switch', { name: /localhost/ }).isChecked()).resolves.toBe(true);
  });

  it('saves a legacy-browser sub-filter change', async () => {
    // The box shows the saved state, which changes once the server has responded, so the test
    // clicks and then waits for both instead of expecting an immediate change.
    const chrome = page.getByRole('checkbox', { name: /Chrome/ });
    await chrome.click();

    const active = await waitFor(async () => {
      const value = await activeOf('legacy-browsers');
      return Array.isArray(value) && !value.includes('chrome') ? value : undefined;
    });
    expect(active).toEqual(['android', 'edge', 'firefox', 'ie', 'opera', 'opera_mini', 'safari']);
    await waitFor(async () => ((await chrome.isChecked()) ? undefined : true));
  });

  it('switches the legacy-browser filter off with None', async () => {
    await page
      .locator('[data-filter-id="legacy-browsers"]')
      .getByRole('button', { name: 'None' })
      .click();

    await waitFor(async () => ((await activeOf('legacy-browsers')) === false ? true : undefined));
    // The boxes follow the refetched state, which can arrive after the API already reports it.
    const checked = await waitFor(async () => {
      const count = await page.locator('[data-subfilter]:checked').count();
      return count === 0 ? count : undefined;
    });
    expect(checked).toBe(0);
  });

  it('saves the custom filter lists', async () => {
    await page.getByLabel('Releases').fill(`web@1.*\n${MARKUP_PATTERN}`);
    await page.getByLabel('IP addresses').fill('10.0.0.0/8\n2001:db8::/32');
    await page.getByRole('button', { name: 'Save custom filters' }).click();
    await page.getByRole('status').waitFor();

    const details = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as { options: Record<string, string> };
    expect(details.options['filters:releases']).toBe(`web@1.*\n${MARKUP_PATTERN}`);
    expect(details.options['filters:blacklisted_ips']).toBe('10.0.0.0/8\n2001:db8::/32');
  });

  it('shows a saved pattern as text after a reload', async () => {
    await page.reload();
    await page.getByLabel('Releases').waitFor();

    await expect(page.getByLabel('Releases').inputValue()).resolves.toBe(
      `web@1.*\n${MARKUP_PATTERN}`,
    );
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
  });

  it('shows the server message for an invalid IP entry', async () => {
    await page.getByLabel('IP addresses').fill('not-an-ip');
    await page.getByRole('button', { name: 'Save custom filters' }).click();

    const alert = page.locator('form[aria-label="Custom filters"] [role="alert"]');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('"not-an-ip" is not an IP address');
    await page.screenshot({
      path: screenshotPath('inbound-filters.png'),
      fullPage: true,
    });
  });
});
