/**
 * Drives the Performance list and the trace page in Chromium: transactions of two projects,
 * search, project filter, pagination, the span waterfall with its details, and the "View trace"
 * link of an issue whose event belongs to a stored trace.
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
import { listTransactions, waitForTrace } from '../live/performance-api.js';

const SPAN_V2 = 'application/vnd.sentry.items.span.v2+json';

const CHECKOUT_TRACE = '4bf92f3577b34da6a3ce929d0e0e4736';
const CHECKOUT_EVENT = 'c4ec4ec4ec4ec4ec4ec4ec4ec4ec4ec1';
const STREAM_TRACE = '7cf92f3577b34da6a3ce929d0e0e4799';
const XSS_NAME = '<img src=x onerror=window.__xss=1>';
const ERROR_EVENT = 'e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1e1';
const FILLER_COUNT = 50;

const now = Date.now() / 1000;

/** Builds a checkout transaction: a root with a query span and a render span with a file span. */
function checkoutTransaction() {
  return {
    event_id: CHECKOUT_EVENT,
    type: 'transaction',
    transaction: 'POST /checkout',
    platform: 'node',
    release: 'shop@1.0.0',
    environment: 'production',
    start_timestamp: now - 10,
    timestamp: now - 9.4,
    contexts: {
      trace: {
        trace_id: CHECKOUT_TRACE,
        span_id: 'a000000000000001',
        op: 'http.server',
        status: 'ok',
      },
    },
    spans: [
      {
        span_id: 'b000000000000002',
        parent_span_id: 'a000000000000001',
        op: 'db.query',
        description: 'SELECT * FROM carts WHERE id = $1',
        status: 'ok',
        start_timestamp: now - 9.95,
        timestamp: now - 9.85,
        data: { 'db.system': 'postgresql', 'db.rows': 3 },
      },
      {
        span_id: 'c000000000000003',
        parent_span_id: 'a000000000000001',
        op: 'template.render',
        description: 'render receipt',
        status: 'internal_error',
        start_timestamp: now - 9.8,
        timestamp: now - 9.5,
      },
      {
        span_id: 'd000000000000004',
        parent_span_id: 'c000000000000003',
        op: 'file.read',
        description: 'load template',
        start_timestamp: now - 9.75,
        timestamp: now - 9.7,
      },
    ],
  };
}

function simpleTransaction(eventId: string, name: string, traceId: string, ageSeconds: number) {
  return {
    event_id: eventId,
    type: 'transaction',
    transaction: name,
    platform: 'node',
    start_timestamp: now - ageSeconds - 0.02,
    timestamp: now - ageSeconds,
    contexts: { trace: { trace_id: traceId, span_id: 'e000000000000005', op: 'task' } },
    spans: [],
  };
}

function hex(value: number, length: number): string {
  return value.toString(16).padStart(length, '0');
}

async function sendTransaction(dsn: string, payload: { event_id: string }) {
  const response = await sendEnvelope(dsn, [{ headers: { type: 'transaction' }, payload }], {
    event_id: payload.event_id,
  });
  expect(response.status).toBe(200);
}

describe('performance UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let otherProject: { slug: string; id: string; dsn: string };
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'perf-ui');
    const created = (await apiRequest(
      picket,
      project.token,
      'POST',
      `/api/0/teams/${project.orgSlug}/${project.teamSlug}/projects/`,
      { name: 'Worker', slug: 'worker', platform: 'python' },
    )) as { id: string; slug: string };
    const keys = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/worker/keys/`,
    )) as { dsn: { public: string } }[];
    otherProject = { slug: created.slug, id: created.id, dsn: keys[0]!.dsn.public };

    await sendTransaction(project.dsn, checkoutTransaction());
    await sendTransaction(project.dsn, simpleTransaction(hex(1, 32), XSS_NAME, hex(0xabc, 32), 30));
    for (let index = 0; index < FILLER_COUNT; index += 1) {
      await sendTransaction(
        project.dsn,
        simpleTransaction(hex(index + 100, 32), `GET /health/${index}`, hex(index + 100, 32), 60),
      );
    }
    await sendTransaction(
      otherProject.dsn,
      simpleTransaction(hex(2, 32), 'nightly-report', hex(0xdef, 32), 20),
    );

    const streamed = [
      {
        trace_id: STREAM_TRACE,
        span_id: 'f000000000000006',
        name: 'GET /stream',
        status: 'ok',
        is_segment: true,
        start_timestamp: now - 5,
        end_timestamp: now - 4,
        attributes: { 'sentry.op': { type: 'string', value: 'http.server' } },
      },
      {
        trace_id: STREAM_TRACE,
        span_id: 'f000000000000007',
        parent_span_id: 'f000000000000006',
        name: 'fetch upstream',
        status: 'error',
        start_timestamp: now - 4.8,
        end_timestamp: now - 4.2,
        attributes: {
          'sentry.op': { type: 'string', value: 'http.client' },
          'sentry.segment.id': { type: 'string', value: 'f000000000000006' },
          'http.response.status_code': { type: 'integer', value: 502 },
        },
      },
    ];
    const spanResponse = await sendEnvelope(project.dsn, [
      {
        headers: { type: 'span', content_type: SPAN_V2, item_count: streamed.length },
        payload: { items: streamed },
      },
    ]);
    expect(spanResponse.status).toBe(200);

    const errorResponse = await sendEnvelope(
      project.dsn,
      [
        {
          headers: { type: 'event' },
          payload: {
            event_id: ERROR_EVENT,
            platform: 'node',
            exception: { values: [{ type: 'CheckoutError', value: 'card declined' }] },
            contexts: { trace: { trace_id: CHECKOUT_TRACE, span_id: 'b000000000000002' } },
          },
        },
      ],
      { event_id: ERROR_EVENT },
    );
    expect(errorResponse.status).toBe(200);

    await waitFor(async () => {
      const listed = await listTransactions(picket, project);
      return listed.length >= FILLER_COUNT + 4 ? listed : undefined;
    });
    await waitForTrace(picket, project, STREAM_TRACE, (trace) => trace.spans.length === 2);

    browser = await launchChromium();
    page = await newPage(browser);

    await logIn(page, picket, project, /\/issues\//);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  const row = (eventId: string) => page.locator(`tr[data-event-id="${eventId}"]`);

  it('opens the Performance page from the navigation', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Performance' })
      .click();

    await page.waitForURL(/\/performance\/$/);
    await row(CHECKOUT_EVENT).waitFor();
    await expect(page.title()).resolves.toBe(`Performance — ${project.orgSlug} — Picket`);
    await page.screenshot({ path: screenshotPath('performance.png'), fullPage: true });
  });

  it('shows name, operation, duration, status and project', async () => {
    const checkout = row(CHECKOUT_EVENT);

    await expect(checkout.locator('.transaction-name').textContent()).resolves.toBe(
      'POST /checkout',
    );
    await expect(checkout.locator('.transaction-op').textContent()).resolves.toBe('http.server');
    await expect(checkout.locator('.transaction-duration').textContent()).resolves.toBe(
      '600.00 ms',
    );
    await expect(checkout.locator('.badge').textContent()).resolves.toBe('ok');
    await expect(checkout.locator('.transaction-project').textContent()).resolves.toBe(
      project.projectSlug,
    );
    await expect(checkout.locator('time').textContent()).resolves.toMatch(
      /^(a few seconds|\d+ minutes?) ago$/,
    );
  });

  it('lists newest transactions first', async () => {
    const ids = await page
      .locator('tr[data-event-id]')
      .evaluateAll((rows) => rows.map((element) => element.getAttribute('data-event-id')));

    // The streamed segment started 5 s ago, the checkout 10 s ago, the worker's report 20 s ago.
    expect(ids.slice(0, 3)).toEqual([expect.any(String), CHECKOUT_EVENT, hex(2, 32)]);
    expect(ids).toHaveLength(50);
  });

  it('shows an HTML transaction name as text', async () => {
    await expect(row(hex(1, 32)).locator('.transaction-name').textContent()).resolves.toBe(
      XSS_NAME,
    );
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    await expect(page.evaluate(() => (window as { __xss?: number }).__xss)).resolves.toBe(
      undefined,
    );
  });

  it('pages to older transactions', async () => {
    await page.getByRole('button', { name: 'Next →' }).click();

    await page.waitForURL(/cursor=0%3A50%3A0|cursor=0:50:0/);
    // The previous page stays on screen until the next one has loaded.
    await expect.poll(() => page.locator('tr[data-event-id]').count()).toBe(FILLER_COUNT + 4 - 50);
    await expect(page.getByRole('button', { name: '← Previous' }).isEnabled()).resolves.toBe(true);
  });

  it('searches transactions by name', async () => {
    await page.getByLabel('Search transactions').fill('checkout');
    await page.getByRole('button', { name: 'Search' }).click();

    await page.waitForURL(/query=checkout/);
    await expect.poll(() => page.locator('tr[data-event-id]').count()).toBe(1);
    await expect(row(CHECKOUT_EVENT).count()).resolves.toBe(1);
  });

  it('filters transactions by project', async () => {
    await page.getByLabel('Search transactions').fill('');
    await page.getByRole('button', { name: 'Search' }).click();
    await page.getByLabel('Filter by project').selectOption(otherProject.id);

    await page.waitForURL(new RegExp(`project=${otherProject.id}`));
    await expect.poll(() => page.locator('tr[data-event-id]').count()).toBe(1);
    await expect(row(hex(2, 32)).locator('.transaction-project').textContent()).resolves.toBe(
      'worker',
    );
  });

  it('opens the trace of a transaction with its root selected', async () => {
    await page.getByLabel('Filter by project').selectOption('');
    await row(CHECKOUT_EVENT).getByRole('link').click();

    await page.waitForURL(new RegExp(`/traces/${CHECKOUT_TRACE}/\\?span=a000000000000001`));
    await page.locator('.waterfall-row').first().waitFor();
    await expect(page.locator('.span-details .panel-title').textContent()).resolves.toBe(
      'Transaction details',
    );
    await page.screenshot({ path: screenshotPath('trace.png'), fullPage: true });
  });

  it('indents spans under their parents', async () => {
    const order = await page
      .locator('.waterfall-row')
      .evaluateAll((rows) => rows.map((element) => element.getAttribute('data-span-id')));
    const indent = (spanId: string) =>
      page
        .locator(`.waterfall-row[data-span-id="${spanId}"] .waterfall-label`)
        .evaluate((element) => Number.parseFloat(getComputedStyle(element).paddingLeft));

    expect(order).toEqual([
      'a000000000000001',
      'b000000000000002',
      'c000000000000003',
      'd000000000000004',
    ]);
    expect(await indent('a000000000000001')).toBe(0);
    expect(await indent('c000000000000003')).toBeGreaterThan(0);
    expect(await indent('d000000000000004')).toBeGreaterThan(await indent('c000000000000003'));
  });

  it('places bars by start and duration', async () => {
    const box = async (spanId: string) =>
      (await page
        .locator(`.waterfall-row[data-span-id="${spanId}"] .waterfall-bar`)
        .boundingBox())!;
    const root = await box('a000000000000001');
    const query = await box('b000000000000002');
    const render = await box('c000000000000003');

    // The query starts 50 ms into the 600 ms root and lasts 100 ms; the render starts at 200 ms.
    expect((query.x - root.x) / root.width).toBeCloseTo(50 / 600, 2);
    expect(query.width / root.width).toBeCloseTo(100 / 600, 2);
    expect((render.x - root.x) / root.width).toBeCloseTo(200 / 600, 2);
  });

  it('shows details and data of a clicked span', async () => {
    await page.locator('.waterfall-row[data-span-id="b000000000000002"] button').click();

    // The panel re-renders after the click, so the test waits for the new title first.
    const details = page.locator('.span-details');
    await details.locator('.panel-title', { hasText: 'Span details' }).waitFor();
    await expect(details.locator('.panel-title').textContent()).resolves.toBe('Span details');
    await expect(
      details.locator('tr', { hasText: 'Description' }).locator('td').textContent(),
    ).resolves.toBe('SELECT * FROM carts WHERE id = $1');
    await expect(
      details.locator('tr', { hasText: 'db.system' }).locator('td').textContent(),
    ).resolves.toBe('postgresql');
    await expect(page.url()).toContain('span=b000000000000002');
  });

  it('marks a failed span', async () => {
    await expect(
      page.locator('.waterfall-row[data-span-id="c000000000000003"]').getAttribute('class'),
    ).resolves.toContain('waterfall-row-error');
  });

  it('shows a streamed trace with its segment', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/traces/${STREAM_TRACE}/`);

    await page.locator('.waterfall-row').nth(1).waitFor();
    await expect(
      page.locator('.waterfall-row[data-span-id="f000000000000006"]').getAttribute('class'),
    ).resolves.toContain('waterfall-row-transaction');
    await expect(
      page.locator('.waterfall-row[data-span-id="f000000000000007"] .waterfall-op').textContent(),
    ).resolves.toBe('http.client');
  });

  it('shows a missing trace as not found', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/traces/${'9'.repeat(32)}/`);

    await page.getByText('Trace not found').waitFor();
    await expect(page.getByRole('link', { name: 'Back to performance' }).count()).resolves.toBe(1);
  });

  it('links an issue event to its trace', async () => {
    const issues = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/`,
    )) as { id: string }[];
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${issues[0]!.id}/`);

    await page.getByRole('link', { name: 'View trace' }).click();

    await page.waitForURL(new RegExp(`/traces/${CHECKOUT_TRACE}/`));
    await page.locator('.waterfall-row[data-span-id="a000000000000001"]').waitFor();
  });
});
