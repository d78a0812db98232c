/**
 * Two-factor authentication in Chromium: enrolling an authenticator app and logging in with its
 * code, and registering and using a security key through Chromium's virtual authenticator.
 * WebAuthn needs a secure context, so the pages are opened on `localhost`, not 127.0.0.1.
 */
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { generateTotp } from '../../src/server/features/accounts/totp.js';
import { launchChromium, screenshotPath } from '../helpers/chromium.js';
import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

describe('two-factor authentication in the browser', () => {
  let picket: PicketInstance;
  let browser: Browser;
  let baseUrl: string;

  beforeAll(async () => {
    picket = await startPicket();
    baseUrl = picket.url.replace('127.0.0.1', 'localhost');
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser.close();
    await picket.stop();
  });

  async function logInWithPassword(page: Page, project: TestProject) {
    await page.goto(`${baseUrl}/auth/login/`);
    await page.getByLabel('Email').fill(project.email);
    await page.getByLabel('Password').fill(project.password);
    await page.getByRole('button', { name: 'Log in' }).click();
  }

  async function openSecurityPage(page: Page, project: TestProject) {
    await logInWithPassword(page, project);
    await page.waitForURL(/\/issues\//);
    await page.goto(`${baseUrl}/settings/account/security/`);
    await page.getByRole('heading', { name: 'Security' }).waitFor();
  }

  describe('authenticator app', () => {
    let context: BrowserContext;
    let page: Page;
    let project: TestProject;
    let secret: string;

    beforeAll(async () => {
      project = await setupProject(picket, 'e2e-totp');
      context = await browser.newContext();
      page = await context.newPage();
    });

    afterAll(async () => {
      await context.close();
    });

    it('enrolls an app and shows recovery codes once', async () => {
      await openSecurityPage(page, project);
      await page.getByRole('button', { name: 'Add an authenticator app' }).click();
      secret = await page.getByTestId('totp-secret').inputValue();
      await page.getByLabel('Code from the app').fill(generateTotp(secret, Date.now()));
      await page.getByRole('button', { name: 'Confirm' }).click();
      const codes = page.getByRole('region', { name: 'New recovery codes' });
      await codes.waitFor();
      await page.screenshot({ path: screenshotPath('two-factor-recovery-codes.png') });

      expect(secret).toMatch(/^[A-Z2-7]{32}$/);
      expect(await codes.locator('code').count()).toBe(10);
      expect(await page.getByRole('list', { name: 'Factors' }).textContent()).toContain(
        'Authenticator app',
      );
    });

    it('asks for the code after the password and logs in with it', async () => {
      await context.clearCookies();
      await logInWithPassword(page, project);
      await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
      await page.screenshot({ path: screenshotPath('two-factor-login.png') });
      await page.getByLabel('Authentication code').fill(generateTotp(secret, Date.now() + 30_000));
      await page.getByRole('button', { name: 'Verify' }).click();
      await page.waitForURL(/\/issues\//);

      expect(page.url()).toContain(`/organizations/${project.orgSlug}/issues/`);
    });
  });

  describe('security key', () => {
    let context: BrowserContext;
    let page: Page;
    let project: TestProject;

    beforeAll(async () => {
      project = await setupProject(picket, 'e2e-key');
      context = await browser.newContext();
      page = await context.newPage();
      const cdp = await context.newCDPSession(page);
      await cdp.send('WebAuthn.enable');
      await cdp.send('WebAuthn.addVirtualAuthenticator', {
        options: {
          protocol: 'ctap2',
          transport: 'usb',
          hasResidentKey: true,
          hasUserVerification: true,
          isUserVerified: true,
        },
      });
    });

    afterAll(async () => {
      await context.close();
    });

    it('registers a security key', async () => {
      await openSecurityPage(page, project);
      await page.getByRole('button', { name: 'Add a security key' }).click();
      await page.getByRole('region', { name: 'New recovery codes' }).waitFor();

      expect(await page.getByRole('list', { name: 'Factors' }).textContent()).toContain(
        'Security key',
      );
    });

    it('logs in with the security key', async () => {
      await context.clearCookies();
      await logInWithPassword(page, project);
      await page.getByRole('heading', { name: 'Two-factor authentication' }).waitFor();
      await page.getByRole('button', { name: 'Use a security key' }).click();
      await page.waitForURL(/\/issues\//);

      expect(page.url()).toContain(`/organizations/${project.orgSlug}/issues/`);
    });
  });
});
