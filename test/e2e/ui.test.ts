import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const CHROMIUM_PATH = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/ui/', import.meta.url));

const XSS_PAYLOAD = '<img src=x onerror=window.__xss=1>';
const CRASH_EVENT_ID = 'c0ffee00c0ffee00c0ffee00c0ffee01';
const XSS_EVENT_ID = 'bad0bad0bad0bad0bad0bad0bad0bad1';

interface ListedIssue {
  id: string;
  title: string;
  metadata: { type?: string };
}

/** Builds a browser error with in-app and library frames, breadcrumbs, request, user and contexts. */
function crashEvent() {
  const timestamp = Date.now() / 1000;

  return {
    event_id: CRASH_EVENT_ID,
    timestamp,
    platform: 'javascript',
    level: 'error',
    release: 'shop@1.4.2',
    environment: 'production',
    transaction: '/checkout',
    tags: { browser: 'Chrome 126', 'page.section': 'checkout' },
    user: { id: '42', email: 'jane@example.com', ip_address: '203.0.113.7' },
    contexts: {
      browser: { name: 'Chrome', version: '126.0.0' },
      os: { name: 'macOS', version: '14.5' },
    },
    request: {
      url: 'https://shop.example.com/checkout?step=2',
      method: 'GET',
      headers: { 'User-Agent': 'Mozilla/5.0', Referer: 'https://shop.example.com/cart' },
    },
    breadcrumbs: {
      values: [
        {
          timestamp: timestamp - 5,
          category: 'navigation',
          data: { from: '/cart', to: '/checkout' },
        },
        { timestamp: timestamp - 2, category: 'ui.click', message: 'button#pay' },
        {
          timestamp: timestamp - 1,
          category: 'console',
          level: 'warning',
          message: 'Cart total is 0',
        },
      ],
    },
    exception: {
      values: [
        {
          type: 'TypeError',
          value: "Cannot read properties of undefined (reading 'total')",
          mechanism: { type: 'onerror', handled: false },
          stacktrace: {
            frames: [
              {
                filename: 'node_modules/react-dom/cjs/react-dom.development.js',
                abs_path:
                  'https://shop.example.com/node_modules/react-dom/cjs/react-dom.development.js',
                function: 'invokeGuardedCallback',
                lineno: 4213,
                colno: 16,
                in_app: false,
              },
              {
                filename: 'node_modules/react-dom/cjs/react-dom.development.js',
                abs_path:
                  'https://shop.example.com/node_modules/react-dom/cjs/react-dom.development.js',
                function: 'dispatchEvent',
                lineno: 4102,
                colno: 7,
                in_app: false,
              },
              {
                filename: 'src/checkout/pay-button.js',
                abs_path: 'https://shop.example.com/src/checkout/pay-button.js',
                function: 'handlePayClick',
                lineno: 18,
                colno: 5,
                in_app: true,
                pre_context: [
                  'export function handlePayClick(event) {',
                  '  event.preventDefault();',
                ],
                context_line: '  submitOrder(window.cart);',
                post_context: ['}'],
              },
              {
                filename: 'src/checkout/submit-order.js',
                abs_path: 'https://shop.example.com/src/checkout/submit-order.js',
                function: 'submitOrder',
                lineno: 7,
                colno: 22,
                in_app: true,
                pre_context: ['export function submitOrder(cart) {', '  const items = cart.items;'],
                context_line: '  const total = cart.summary.total;',
                post_context: ['  return post("/orders", { items, total });', '}'],
                vars: { cart: { items: [] } },
              },
            ],
          },
        },
      ],
    },
  };
}

/** Builds an event whose exception value, tag and breadcrumb message contain an HTML payload. */
function xssEvent() {
  return {
    event_id: XSS_EVENT_ID,
    timestamp: Date.now() / 1000,
    platform: 'javascript',
    level: 'error',
    tags: { probe: XSS_PAYLOAD },
    breadcrumbs: {
      values: [{ timestamp: Date.now() / 1000, category: 'console', message: XSS_PAYLOAD }],
    },
    exception: {
      values: [
        {
          type: 'MarkupProbeError',
          value: XSS_PAYLOAD,
          stacktrace: {
            frames: [
              { filename: 'src/probe.js', function: 'probe', lineno: 1, colno: 1, in_app: true },
            ],
          },
        },
      ],
    },
  };
}

async function waitForChromium(): Promise<void> {
  // Chromium may still be installing from apt when the suite starts.
  await waitFor(async () => (fs.existsSync(CHROMIUM_PATH) ? true : undefined), 300_000);
}

describe('web UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let crashIssue: ListedIssue;
  let xssIssue: ListedIssue;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'ui');

    for (const event of [crashEvent(), xssEvent()]) {
      const response = await sendEnvelope(
        project.dsn,
        [{ headers: { type: 'event' }, payload: event }],
        { event_id: event.event_id },
      );
      expect(response.status).toBe(200);
    }

    const issues = await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/`,
      )) as ListedIssue[];
      return listed.length === 2 ? listed : undefined;
    });
    crashIssue = issues.find((issue) => issue.metadata.type === 'TypeError')!;
    xssIssue = issues.find((issue) => issue.metadata.type === 'MarkupProbeError')!;

    await waitForChromium();
    browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
    fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('redirects an anonymous visitor to the login page', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/`);

    await page.waitForURL(/\/auth\/login\//);
    await expect(page.getByRole('heading', { name: 'Log in' }).isVisible()).resolves.toBe(true);
  });

  it('rejects a wrong password with a message', async () => {
    await page.getByLabel('Email').fill(project.email);
    await page.getByLabel('Password').fill('not the password');
    await page.getByRole('button', { name: 'Log in' }).click();

    await expect(page.getByRole('alert').textContent()).resolves.toBeTruthy();
  });

  it('logs in and lands on the issue list', async () => {
    await page.getByLabel('Password').fill(project.password);
    await page.getByRole('button', { name: 'Log in' }).click();

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/issues/`));
    const row = page.locator(`[data-issue-id="${crashIssue.id}"]`);
    await row.waitFor();
    await expect(row.locator('.issue-title-type').textContent()).resolves.toBe('TypeError');
    await expect(row.textContent()).resolves.toContain(
      "Cannot read properties of undefined (reading 'total')",
    );
    await expect(row.textContent()).resolves.toMatch(/Last seen (a few seconds|\d+ minutes?) ago/);

    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'issue-list.png'), fullPage: true });
  });

  it('shows the exception type and an in-app frame on the issue page', async () => {
    await page.locator(`[data-issue-id="${crashIssue.id}"] a`).click();

    await page.waitForURL(new RegExp(`/issues/${crashIssue.id}/`));
    await page.locator('.exception-type').waitFor();
    await expect(page.locator('.exception-type').textContent()).resolves.toBe('TypeError');
    const crashingFrame = page.locator('.frame[data-in-app="true"]').first();
    await expect(crashingFrame.locator('.frame-function').textContent()).resolves.toBe(
      'submitOrder',
    );
    await expect(crashingFrame.locator('.context-line-active').textContent()).resolves.toContain(
      'const total = cart.summary.total;',
    );
    await expect(
      page.getByRole('button', { name: 'Show 2 more frames' }).isVisible(),
    ).resolves.toBe(true);

    await page.screenshot({ path: path.join(SCREENSHOT_DIR, 'issue-page.png'), fullPage: true });
  });

  it('expands collapsed system frames on request', async () => {
    await page.getByRole('button', { name: 'Show 2 more frames' }).click();

    await expect(page.locator('.frame[data-in-app="false"]').count()).resolves.toBe(2);
  });

  it('resolves the issue and removes it from the Unresolved tab', async () => {
    await page.getByRole('button', { name: /^✓ Resolve$/ }).click();
    await page.getByRole('button', { name: /Unresolve/ }).waitFor();

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Issues' })
      .click();
    await page.locator(`[data-issue-id="${xssIssue.id}"]`).waitFor();

    await expect(page.locator(`[data-issue-id="${crashIssue.id}"]`).count()).resolves.toBe(0);
  });

  it('lists the resolved issue under the Resolved tab', async () => {
    await page.getByRole('tab', { name: 'Resolved', exact: true }).click();

    await page.locator(`[data-issue-id="${crashIssue.id}"]`).waitFor();
    await expect(page.locator(`[data-issue-id="${xssIssue.id}"]`).count()).resolves.toBe(0);
  });

  it('lists issues of every status under the All tab', async () => {
    await page.getByRole('tab', { name: 'All', exact: true }).click();

    await page.locator(`[data-issue-id="${xssIssue.id}"]`).waitFor();
    await expect(page.locator(`[data-issue-id="${crashIssue.id}"]`).count()).resolves.toBe(1);
  });

  it('renders HTML from an event as text', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${xssIssue.id}/`);
    await page.locator('.exception-value').waitFor();

    await expect(page.locator('.exception-value').textContent()).resolves.toBe(XSS_PAYLOAD);
    await expect(
      page.locator('.chip', { hasText: 'probe' }).locator('.chip-value').textContent(),
    ).resolves.toBe(XSS_PAYLOAD);
    await expect(page.locator('.breadcrumb-message-text').textContent()).resolves.toBe(XSS_PAYLOAD);
    await expect(page.getByText(XSS_PAYLOAD).first().isVisible()).resolves.toBe(true);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() => (globalThis as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
  });

  it('renders an HTML issue title in the list as text', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/?query=`);
    const row = page.locator(`[data-issue-id="${xssIssue.id}"]`);
    await row.waitFor();

    await expect(row.locator('.issue-title-value').textContent()).resolves.toBe(XSS_PAYLOAD);
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() => (globalThis as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
  });
});
