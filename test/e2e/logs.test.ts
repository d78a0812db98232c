/**
 * The Logs page in real Chromium: listing, level toggles, text search, trace filter, expanded
 * attributes, and filters kept in the URL.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import { waitForLogs } from '../helpers/logs.js';
import {
  sendEnvelope,
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const CHECKOUT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const SEARCH_TRACE = '0af7651916cd43dd8448eb211c80319c';
const XSS_BODY = '<img src=x onerror="globalThis.__xss=1">';
const NOW_SECONDS = Date.now() / 1_000;

function makeLog(
  offsetSeconds: number,
  level: string,
  body: string,
  traceId: string,
  attributes: Record<string, { type: string; value: unknown }> = {},
) {
  return {
    timestamp: NOW_SECONDS - offsetSeconds,
    level,
    body,
    trace_id: traceId,
    attributes: {
      'sentry.environment': { type: 'string', value: 'production' },
      ...attributes,
    },
  };
}

// Newest first, as the page lists them.
const LOGS = [
  makeLog(10, 'error', 'Payment gateway timeout', CHECKOUT_TRACE, {
    gateway: { type: 'string', value: 'acme-pay' },
    attempt: { type: 'integer', value: 3 },
  }),
  makeLog(20, 'warn', 'Inventory low for sku-7', CHECKOUT_TRACE),
  makeLog(30, 'info', 'Search served in 12 ms', SEARCH_TRACE),
  makeLog(40, 'debug', XSS_BODY, SEARCH_TRACE),
];

describe('Logs page', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  const logsUrl = (search = '') =>
    `${picket.url}/organizations/${project.orgSlug}/logs/${search === '' ? '' : `?${search}`}`;
  const rowBodies = () => page.locator('.log-row .log-body-text').allTextContents();

  /** Waits until the table shows exactly these bodies, in this order. */
  async function expectBodies(expected: string[]): Promise<void> {
    await page.waitForFunction(
      (bodies) => {
        const texts = Array.from(document.querySelectorAll('.log-row .log-body-text')).map(
          (element) => element.textContent,
        );
        return JSON.stringify(texts) === JSON.stringify(bodies);
      },
      expected,
      { timeout: 10_000 },
    );
    expect(await rowBodies()).toEqual(expected);
  }

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'logsui');
    const response = await sendEnvelope(project.dsn, [
      {
        headers: {
          type: 'log',
          item_count: LOGS.length,
          content_type: 'application/vnd.sentry.items.log+json',
        },
        payload: { items: LOGS },
      },
    ]);
    expect(response.status).toBe(200);
    await waitForLogs(picket, project, {}, LOGS.length);

    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('opens the logs page after logging in', async () => {
    await logInThrough(page, logsUrl(), project);

    await page.waitForURL(new RegExp(`/organizations/${project.orgSlug}/logs/$`));
    await expectBodies(LOGS.map((log) => log.body));
    await expect(page.title()).resolves.toBe(`Logs — ${project.orgSlug} — Picket`);
    await page.screenshot({ path: screenshotPath('logs.png'), fullPage: true });
  });

  it('marks the Logs link in the navigation as current', async () => {
    const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Logs' });

    await expect(link.getAttribute('aria-current')).resolves.toBe('page');
  });

  it('shows level and trace of each row', async () => {
    const first = page.locator('.log-row').first();

    await expect(first.locator('.level-badge').textContent()).resolves.toBe('error');
    await expect(first.locator('.log-trace-button').textContent()).resolves.toBe(
      CHECKOUT_TRACE.slice(0, 8),
    );
  });

  it('renders HTML in a log body as text', async () => {
    await page.getByText(XSS_BODY).waitFor();
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(
      page.evaluate(() => (globalThis as { __xss?: unknown }).__xss),
    ).resolves.toBeUndefined();
  });

  it('expands a row to its attributes', async () => {
    const toggle = page.getByRole('button', { name: 'Payment gateway timeout' });
    await toggle.click();

    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('true');
    const details = page.locator('.log-details');
    await expect(
      details.locator('tr', { hasText: 'gateway' }).locator('td').textContent(),
    ).resolves.toBe('acme-pay');
    await expect(
      details.locator('tr', { hasText: 'attempt' }).locator('td').textContent(),
    ).resolves.toBe('3');
    await expect(
      details.locator('tr', { hasText: 'trace_id' }).locator('td').textContent(),
    ).resolves.toBe(CHECKOUT_TRACE);
    await page.screenshot({ path: screenshotPath('logs-expanded.png'), fullPage: true });
  });

  it('collapses an expanded row', async () => {
    await page.getByRole('button', { name: 'Payment gateway timeout' }).click();

    await expect(page.locator('.log-details').count()).resolves.toBe(0);
  });

  it('filters by the levels toggled on', async () => {
    const levels = page.getByRole('group', { name: 'Levels' });
    await levels.getByRole('button', { name: 'error' }).click();
    await levels.getByRole('button', { name: 'warn' }).click();

    await expectBodies(['Payment gateway timeout', 'Inventory low for sku-7']);
    expect(new URL(page.url()).searchParams.getAll('level')).toEqual(['warn', 'error']);
    await expect(
      levels.getByRole('button', { name: 'error' }).getAttribute('aria-pressed'),
    ).resolves.toBe('true');
  });

  it('drops a level toggled off', async () => {
    await page.getByRole('group', { name: 'Levels' }).getByRole('button', { name: 'warn' }).click();

    await expectBodies(['Payment gateway timeout']);
  });

  it('searches message text', async () => {
    await page
      .getByRole('group', { name: 'Levels' })
      .getByRole('button', { name: 'error' })
      .click();
    await page.getByLabel('Search logs').fill('SEARCH served');
    await page.getByLabel('Search logs').press('Enter');

    await expectBodies(['Search served in 12 ms']);
    expect(new URL(page.url()).searchParams.get('query')).toBe('SEARCH served');
  });

  it('tells when no log matches', async () => {
    await page.getByLabel('Search logs').fill('nothing like this');
    await page.getByRole('button', { name: 'Search', exact: true }).click();

    await page.getByText('No logs match these filters.').waitFor();
    await expect(page.locator('.log-row').count()).resolves.toBe(0);
  });

  it('filters by a trace id clicked in a row', async () => {
    await page.getByLabel('Search logs').fill('');
    await page.getByRole('button', { name: 'Search', exact: true }).click();
    await expectBodies(LOGS.map((log) => log.body));

    await page.locator('.log-row').first().locator('.log-trace-button').click();

    await expectBodies(['Payment gateway timeout', 'Inventory low for sku-7']);
    expect(new URL(page.url()).searchParams.get('traceId')).toBe(CHECKOUT_TRACE);
    await expect(page.getByLabel('Trace ID').inputValue()).resolves.toBe(CHECKOUT_TRACE);
  });

  it('clears the trace filter', async () => {
    await page.getByRole('button', { name: 'Clear trace' }).click();

    await expectBodies(LOGS.map((log) => log.body));
    expect(new URL(page.url()).searchParams.has('traceId')).toBe(false);
  });

  it('filters by a trace id typed in', async () => {
    await page.getByLabel('Trace ID').fill(SEARCH_TRACE);
    await page.getByRole('button', { name: 'Filter', exact: true }).click();

    await expectBodies(['Search served in 12 ms', XSS_BODY]);
  });

  it('restores the filters from the URL', async () => {
    await page.goto(logsUrl(`level=debug&query=onerror&traceId=${SEARCH_TRACE}`));

    await expectBodies([XSS_BODY]);
    await expect(page.getByLabel('Search logs').inputValue()).resolves.toBe('onerror');
    await expect(page.getByLabel('Trace ID').inputValue()).resolves.toBe(SEARCH_TRACE);
    await expect(
      page
        .getByRole('group', { name: 'Levels' })
        .getByRole('button', { name: 'debug' })
        .getAttribute('aria-pressed'),
    ).resolves.toBe('true');
  });

  it('shows why a trace id is invalid', async () => {
    await page.goto(logsUrl('traceId=not-a-trace'));
    const alert = page.getByRole('alert');
    await alert.waitFor();

    await expect(alert.textContent()).resolves.toContain('Invalid traceId');
  });
});
