/**
 * The Members page in Chromium against a real server: an owner invites by link, a new user
 * accepts in a second browser context, and the owner changes the role and removes the member.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
import { call, createToken } from '../helpers/members.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface MemberBody {
  email: string;
  orgRole: string;
}

describe('Members page', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let token: string;
  const invitee = 'invitee-ui@example.com';

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'membersui');
    token = await createToken(picket, project.email);
    browser = await launchChromium();
    page = await newPage(browser);
    await logIn(page, picket, project, new RegExp(`/organizations/${project.orgSlug}/issues/`));
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  const listMembers = async () =>
    (await call(picket, { token }, 'GET', `/api/0/organizations/${project.orgSlug}/members/`))
      .body as MemberBody[];

  it('invites by link, accepts as a new user, changes the role and removes', async () => {
    await page.goto(`${picket.url}/settings/${project.orgSlug}/members/`);
    const form = page.getByRole('form', { name: 'Invite a member' });
    await form.getByLabel('E-mail').fill(invitee);
    await form.getByLabel('Role').selectOption('admin');
    await form.getByRole('button', { name: 'Send invitation' }).click();

    const notice = page.getByRole('status', { name: 'Invitation link' });
    const link = (await notice.locator('code').textContent()) ?? '';
    expect(link).toMatch(/\/accept-invite\/i\d+\/[0-9a-f]{64}\/$/);
    await page.screenshot({ path: screenshotPath('members-invite.png'), fullPage: true });

    // The invitee has no account and opens the link in a browser of its own.
    const inviteeContext = await browser.newContext();
    try {
      const inviteePage = await inviteeContext.newPage();
      await inviteePage.goto(link);
      const signUp = inviteePage.getByRole('form', { name: 'Create account' });
      await signUp.getByLabel('Name').fill('Ivy Invitee');
      await signUp.getByLabel('Password').fill('a long enough password');
      await signUp.getByRole('button', { name: 'Create account and join' }).click();
      await inviteePage.waitForURL(new RegExp(`/organizations/${project.orgSlug}/issues/`));

      // The link works once.
      await inviteePage.goto(link);
      await inviteePage.getByRole('alert').filter({ hasText: 'not valid' }).waitFor();
    } finally {
      await inviteeContext.close();
    }

    const joined = (await listMembers()).find((member) => member.email === invitee);
    expect(joined?.orgRole).toBe('admin');

    await page.reload();
    const roleSelect = page.getByLabel(`Role of ${invitee}`);
    // allTextContents does not wait, so wait for the reloaded list to show the new member.
    await roleSelect.waitFor();
    const options = await roleSelect.locator('option').allTextContents();
    expect(options).toEqual(['Member', 'Admin', 'Manager', 'Owner']);
    await roleSelect.selectOption('manager');
    await expect
      .poll(async () => (await listMembers()).find((member) => member.email === invitee)?.orgRole)
      .toBe('manager');

    page.once('dialog', (dialog) => void dialog.accept());
    await page
      .locator(`tr[data-member="${invitee}"]`)
      .getByRole('button', { name: 'Remove' })
      .click();
    await expect
      .poll(async () => (await listMembers()).some((member) => member.email === invitee))
      .toBe(false);
    await page.screenshot({ path: screenshotPath('members-removed.png'), fullPage: true });
  });

  it('saves general settings', async () => {
    await page.goto(`${picket.url}/settings/${project.orgSlug}/`);
    await page.waitForURL(new RegExp(`/settings/${project.orgSlug}/general/`));
    const form = page.getByRole('form', { name: 'General settings' });
    await form.getByLabel('Open membership', { exact: false }).uncheck();
    await form.getByRole('button', { name: 'Save' }).click();
    await page.getByRole('status').filter({ hasText: 'Settings saved.' }).waitFor();

    const settings = await call(
      picket,
      { token },
      'GET',
      `/api/0/organizations/${project.orgSlug}/`,
    );
    expect(settings.body).toMatchObject({ openMembership: false });
  });
});
