import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage } from '../helpers/chromium.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const EVENT_ID = 'e'.repeat(32);
const ORDER = 'ORD-20261205';

describe('security and privacy settings UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'privacyui');
    await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: { event_id: EVENT_ID, message: 'order failed', extra: { order: ORDER } },
        },
      ],
      { event_id: EVENT_ID },
    );
    await waitFor(async () => {
      const base = `/api/0/projects/${project.orgSlug}/${project.projectSlug}`;
      return (await apiGet(picket, project.token, `${base}/events/${EVENT_ID}/`)) ?? undefined;
    }, 20_000);

    browser = await launchChromium();
    page = await newPage(browser, { width: 1280, height: 1200 });
    await logInThrough(
      page,
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/security-and-privacy/`,
      project,
    );
    await page.getByRole('heading', { name: 'Security & Privacy' }).waitFor();
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('previews an advanced rule on the latest event', async () => {
    await page.getByRole('button', { name: 'Add rule' }).click();
    const rule = page.getByRole('group', { name: 'Rule 1' });
    await rule.getByLabel('Data type', { exact: true }).selectOption('pattern');
    await rule.getByLabel('Method', { exact: true }).selectOption('mask');
    await rule.getByLabel('Regex', { exact: true }).fill('ORD-[0-9]+');
    await rule.getByLabel('Source (selector)').fill('extra.order');
    await page.getByRole('button', { name: 'Preview on the latest event' }).click();

    const preview = page.getByRole('region', { name: 'Preview' });
    await preview.getByText('extra.order', { exact: true }).waitFor();
    const json = await preview.locator('pre').textContent();

    expect(json).not.toContain(ORDER);
    expect(json).toContain('************');
  });

  it('saves the settings through the API', async () => {
    await page.getByLabel('Prevent storing of IP addresses').check();
    await page.getByRole('button', { name: 'Save settings' }).click();
    await page.getByRole('status').getByText('Saved.').waitFor();

    const saved = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/`,
    )) as { scrubIPAddresses: boolean; relayPiiConfig: string };

    expect(saved.scrubIPAddresses).toBe(true);
    expect(JSON.parse(saved.relayPiiConfig)).toEqual({
      rules: { '0': { type: 'pattern', pattern: 'ORD-[0-9]+', redaction: { method: 'mask' } } },
      applications: { 'extra.order': ['0'] },
    });
  });

  it('shows the organization page from the side bar', async () => {
    await page.goto(`${picket.url}/settings/${project.orgSlug}/security-and-privacy/`);

    await page.getByRole('heading', { name: 'Security & Privacy' }).waitFor();
    expect(await page.getByLabel('Data scrubber').isChecked()).toBe(false);
  });
});
