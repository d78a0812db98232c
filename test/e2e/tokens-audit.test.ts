/**
 * The personal token page, the organization token page, key rotation and the audit log page in
 * Chromium against a real server.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { tokenRequest } from '../helpers/token-session.js';

describe('token and audit log pages', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'tokui');
    browser = await launchChromium();
    page = await newPage(browser);
    await logIn(page, picket, project, new RegExp(`/organizations/${project.orgSlug}/issues/`));
  }, 60_000);

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('creates a personal token and shows it once', async () => {
    await page.goto(`${picket.url}/settings/account/api/auth-tokens/`);
    await page.getByRole('heading', { name: 'Personal Tokens' }).waitFor();
    const form = page.getByRole('form', { name: 'Create a personal token' });
    await form.getByLabel('Name').fill('e2e token');
    await form.getByRole('button', { name: 'Create token' }).click();

    const value = await page.getByLabel('New token').inputValue();
    expect(value).toMatch(/^sntryu_[0-9a-f]{64}$/);
    await page.getByRole('button', { name: 'Copy token' }).waitFor();
    const table = page.getByRole('table', { name: 'Personal tokens' });
    await table.getByText(`sntryu_…${value.slice(-4)}`).waitFor();
    await page.screenshot({ path: screenshotPath('personal-tokens.png'), fullPage: true });

    const used = await tokenRequest(picket, value, 'GET', `/api/0/organizations/`);
    expect(used.status).toBe(200);

    await page.reload();
    await table.getByText('e2e token').waitFor();
    expect(await page.content()).not.toContain(value);
  });

  it('creates and revokes an organization token', async () => {
    await page.goto(`${picket.url}/settings/${project.orgSlug}/auth-tokens/`);
    const form = page.getByRole('form', { name: 'Create an organization token' });
    await form.getByLabel('Name').fill('ci deploys');
    await form.getByRole('button', { name: 'Create token' }).click();
    const value = await page.getByLabel('New token').inputValue();
    expect(value).toMatch(/^sntrys_[A-Za-z0-9+/=]+_[A-Za-z0-9+/]{43}$/);
    const orgPath = `/api/0/organizations/${project.orgSlug}/projects/`;
    expect((await tokenRequest(picket, value, 'GET', orgPath)).status).toBe(200);

    await page.getByRole('button', { name: 'Revoke token ci deploys' }).click();
    await page.getByText('This organization has no tokens.').waitFor();
    expect((await tokenRequest(picket, value, 'GET', orgPath)).status).toBe(401);
  });

  it('rotates a client key', async () => {
    await page.goto(
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/keys/`,
    );
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Rotate key' }).first().click();
    await page.getByText('Disabled', { exact: true }).waitFor();
    expect(await page.getByRole('button', { name: 'Rotate key' }).count()).toBe(2);
  });

  it('reads and filters the audit log', async () => {
    await page.goto(`${picket.url}/settings/${project.orgSlug}/audit-log/`);
    const table = page.getByRole('table', { name: 'Audit log' });
    await table.getByText('org-auth-token.create').waitFor();
    await table.getByText('org-auth-token.remove').waitFor();
    await table.getByText('projectkey.change').waitFor();
    await page.screenshot({ path: screenshotPath('audit-log.png'), fullPage: true });

    const form = page.getByRole('form', { name: 'Audit log filters' });
    await form.getByLabel('Event').selectOption('org-auth-token.create');
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await table.getByText('projectkey.change').waitFor({ state: 'detached' });
    const events = await table.locator('tbody td.mono:nth-child(3)').allTextContents();
    expect(events).toEqual(['org-auth-token.create']);

    const csvLink = page.getByRole('link', { name: 'Export CSV' });
    const href = (await csvLink.getAttribute('href')) ?? '';
    expect(href).toContain('audit-logs/export/?format=csv');
    expect(href).toContain('event=org-auth-token.create');
    const csv = await page.evaluate(async (url) => (await fetch(url)).text(), href);
    expect(csv.trimEnd().split('\r\n')).toHaveLength(2);
  });
});
