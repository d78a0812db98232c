import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, newPage, screenshotPath } from '../helpers/chromium.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  BIDI_SPOOF,
  BIDI_TYPE,
  BIDI_VALUE,
  CHAINED_EXCEPTION_COUNT,
  CRASH_EVENT_ID,
  LONG_VALUE,
  MANY_TAGS_EVENT_ID,
  MULTI_LINE_MESSAGE,
  XSS_PAYLOAD,
  bidiEvent,
  crashEvent,
  longValueEvent,
  manyTagsEvent,
  messageEvent,
  xssEvent,
} from './ui-events.js';

interface ListedIssue {
  id: string;
  title: string;
  metadata: { type?: string };
}

interface LoadedEvent {
  tags: unknown[];
}

/** Returns the line height of an element and its height, in CSS pixels. */
async function measureLines(page: Page, selector: string) {
  return page.locator(selector).evaluate((element) => ({
    height: element.clientHeight,
    lineHeight: Number.parseFloat(getComputedStyle(element).lineHeight),
  }));
}

describe('web UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let crashIssue: ListedIssue;
  let xssIssue: ListedIssue;
  let longValueIssue: ListedIssue;
  let messageIssue: ListedIssue;
  let bidiIssue: ListedIssue;
  let manyTagsIssue: ListedIssue;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'ui');

    const events = [
      crashEvent(),
      xssEvent(),
      longValueEvent(),
      messageEvent(),
      bidiEvent(),
      manyTagsEvent(),
    ];
    for (const event of events) {
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
      return listed.length === events.length ? listed : undefined;
    });
    const findIssue = (type: string | undefined) =>
      issues.find((issue) => issue.metadata.type === type)!;
    crashIssue = findIssue('TypeError');
    xssIssue = findIssue('MarkupProbeError');
    longValueIssue = findIssue('RangeError');
    messageIssue = findIssue(undefined);
    bidiIssue = findIssue(BIDI_TYPE);
    manyTagsIssue = issues.find((issue) => issue.metadata.type?.startsWith('ChainError'))!;

    browser = await launchChromium();
    page = await newPage(browser);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('redirects an anonymous visitor to the login page', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/`);

    await page.waitForURL(/\/auth\/login\//);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
  });

  it('titles the login page', async () => {
    await expect(page.title()).resolves.toBe('Log in — Picket');
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

    await page.screenshot({ path: screenshotPath('issue-list.png'), fullPage: true });
  });

  it('titles the issue list with the organization', async () => {
    await expect(page.title()).resolves.toBe(`Issues — ${project.orgSlug} — Picket`);
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

    await page.screenshot({ path: screenshotPath('issue-page.png'), fullPage: true });
  });

  it('expands collapsed system frames on request', async () => {
    await page.getByRole('button', { name: 'Show 2 more frames' }).click();

    await expect(page.locator('.frame[data-in-app="false"]').count()).resolves.toBe(2);
  });

  it('titles the issue page with the issue title', async () => {
    await expect(page.title()).resolves.toBe(
      `${crashIssue.title} — Issues — ${project.orgSlug} — Picket`,
    );
  });

  it('links to the event JSON in a new tab', async () => {
    const link = page.getByRole('link', { name: 'JSON', exact: true });
    const href = await link.getAttribute('href');

    expect(href).toBe(
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${CRASH_EVENT_ID}/`,
    );
    await expect(link.getAttribute('target')).resolves.toBe('_blank');
    const loaded = await page.evaluate(async (url) => {
      const response = await fetch(url);
      return { status: response.status, body: (await response.json()) as { eventID?: string } };
    }, href!);
    expect(loaded.status).toBe(200);
    expect(loaded.body.eventID).toBe(CRASH_EVENT_ID);
  });

  it('hides a context without fields', async () => {
    const titles = await page.locator('.context-card .subsection-title').allTextContents();

    expect(titles).toContain('Device');
    expect(titles).not.toContain('Cloud Resource');
  });

  it('formats context sizes and booleans', async () => {
    const device = page.locator('.context-card', { hasText: 'Device' });
    const cell = (field: string) => device.locator('tr', { hasText: field }).locator('td');

    await expect(cell('memory_size').textContent()).resolves.toBe('23.5 GiB');
    await expect(cell('charging').textContent()).resolves.toBe('true');
    await expect(cell('low_memory').textContent()).resolves.toBe('false');
  });

  it('keeps the line breaks of a breadcrumb message', async () => {
    const message = page.locator('.breadcrumb-message-text', { hasText: 'FROM orders' });

    await expect(message.evaluate((element) => getComputedStyle(element).whiteSpace)).resolves.toBe(
      'pre-wrap',
    );
    await expect(message.innerText()).resolves.toBe(MULTI_LINE_MESSAGE);
  });

  it('shows sidebar tag keys as sent', async () => {
    await page.locator('.issue-sidebar .tag-key-name').first().waitFor();
    const keys = await page.locator('.issue-sidebar .tag-key-name').allTextContents();

    expect(keys).toContain('environment');
    expect(keys).toContain('level');
    expect(keys).toContain('page.section');
    expect(keys).not.toContain('Environment');
  });

  it('resolves the issue and removes it from the Unresolved tab', async () => {
    await page.getByRole('button', { name: /^✓ Resolve$/ }).click();
    await page.getByRole('button', { name: /Unresolve/ }).waitFor();

    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Issues' })
      .click();
    await page.locator(`[data-issue-id="${xssIssue.id}"]`).waitFor();

    await page.locator(`[data-issue-id="${crashIssue.id}"]`).waitFor({ state: 'detached' });
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

  it('shows why a search is invalid', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/?query=is%3Abogus`);
    const alert = page.getByRole('alert');
    await alert.waitFor();

    await expect(alert.textContent()).resolves.toContain('Invalid search "is:bogus"');
    await expect(alert.getByRole('button', { name: 'Retry' }).count()).resolves.toBe(0);
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

  it('clamps a long header value to two lines', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${longValueIssue.id}/`);
    await page.locator('.exception-value').waitFor();

    const { height, lineHeight } = await measureLines(page, '.issue-header-title');
    expect(height).toBeLessThanOrEqual(2 * lineHeight + 1);
    await page.screenshot({
      path: screenshotPath('issue-page-long-value.png'),
      fullPage: true,
    });
  });

  it('shows the whole value in the exception', async () => {
    await expect(page.locator('.exception-value').textContent()).resolves.toBe(LONG_VALUE);
  });

  it('expands the header value on Show more', async () => {
    const toggle = page.getByRole('button', { name: 'Show more' });
    await expect(toggle.getAttribute('aria-expanded')).resolves.toBe('false');

    await toggle.click();

    const { height, lineHeight } = await measureLines(page, '.issue-header-title');
    expect(height).toBeGreaterThan(3 * lineHeight);
    await expect(
      page.getByRole('button', { name: 'Show less' }).getAttribute('aria-expanded'),
    ).resolves.toBe('true');
  });

  it('shows a message stack without exception type', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${messageIssue.id}/`);
    await page.locator('.frame').first().waitFor();

    const titles = await page.locator('.event-details .panel-title').allTextContents();
    expect(titles).toContain('Stack Trace');
    expect(titles).not.toContain('Exception');
    expect(titles.indexOf('Message')).toBeLessThan(titles.indexOf('Stack Trace'));
    await expect(page.locator('.exception-type').count()).resolves.toBe(0);
    await expect(page.locator('.badge-crashed').count()).resolves.toBe(0);
    await page.screenshot({
      path: screenshotPath('issue-page-message.png'),
      fullPage: true,
    });
  });

  it('isolates every piece of event text', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${bidiIssue.id}/`);
    await page.locator('.breadcrumb-message-text').waitFor();

    const styles = await page
      .locator('.event-text')
      .evaluateAll((elements) => elements.map((element) => getComputedStyle(element).unicodeBidi));
    expect(styles.length).toBeGreaterThan(0);
    expect(styles.filter((style) => style !== 'isolate')).toEqual([]);
    const overrideTexts = await page.evaluate(() => {
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      const parents: Element[] = [];
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        if (node.textContent?.includes('\u202E') === true && node.parentElement !== null) {
          parents.push(node.parentElement);
        }
      }
      return {
        total: parents.length,
        unwrapped: parents.filter((parent) => parent.closest('.event-text') === null).length,
      };
    });
    expect(overrideTexts.total).toBeGreaterThanOrEqual(5);
    expect(overrideTexts.unwrapped).toBe(0);
    await expect(page.locator('.chip-value', { hasText: BIDI_SPOOF }).count()).resolves.toBe(1);
    await page.screenshot({
      path: screenshotPath('issue-page-bidi.png'),
      fullPage: true,
    });
  });

  it('keeps text after an override in order', async () => {
    const value = page.locator('.issue-header-title .issue-title-value');

    const [first, last] = await value.evaluate((element) => {
      const text = element.firstChild!;
      const range = document.createRange();
      const measure = (index: number) => {
        range.setStart(text, index);
        range.setEnd(text, index + 1);
        return range.getBoundingClientRect().left;
      };
      return [measure(0), measure((text.textContent ?? '').length - 1)];
    });
    await expect(value.textContent()).resolves.toBe(BIDI_VALUE);
    expect(first).toBeLessThan(last!);
  });

  it('clips Zalgo text in a breadcrumb to its cell', async () => {
    const cell = page.locator('.breadcrumb-message');

    await expect(cell.evaluate((element) => getComputedStyle(element).overflow)).resolves.toBe(
      'hidden',
    );
  });

  it('strips overrides from the tab title', async () => {
    await expect(page.title()).resolves.not.toContain('\u202E');
  });

  it('shows the first 50 of many event tags', async () => {
    const event = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${manyTagsIssue.id}/events/${MANY_TAGS_EVENT_ID}/`,
    )) as LoadedEvent;
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${manyTagsIssue.id}/`);
    await page.locator('.event-details .chip').first().waitFor();

    await expect(page.locator('.event-details .chip').count()).resolves.toBe(50);
    await expect(
      page
        .locator('.event-details')
        .getByRole('button', { name: `Show all ${event.tags.length.toLocaleString('en')} tags` })
        .isVisible(),
    ).resolves.toBe(true);
  });

  it('keeps the issue page short with many tags', async () => {
    const height = await page.evaluate(() => document.documentElement.scrollHeight);

    expect(height).toBeLessThan(10_000);
    await page.screenshot({
      path: screenshotPath('issue-page-many-tags.png'),
      fullPage: true,
    });
  });

  it('shows the first 20 tag keys in the sidebar', async () => {
    const tags = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${manyTagsIssue.id}/tags/`,
    )) as unknown[];
    await page.locator('.issue-sidebar .tag-key').first().waitFor();

    await expect(page.locator('.issue-sidebar .tag-key').count()).resolves.toBe(20);
    await expect(
      page
        .locator('.issue-sidebar')
        .getByRole('button', { name: `Show all ${tags.length.toLocaleString('en')} tags` })
        .isVisible(),
    ).resolves.toBe(true);
  });

  it('shows the first 10 chained exceptions', async () => {
    await expect(page.locator('.exception').count()).resolves.toBe(10);
  });

  it('shows all chained exceptions on request', async () => {
    await page
      .getByRole('button', { name: `Show all ${CHAINED_EXCEPTION_COUNT} exceptions` })
      .click();

    await expect(page.locator('.exception').count()).resolves.toBe(CHAINED_EXCEPTION_COUNT);
  });

  it('shows all event tags on request', async () => {
    const toggle = page.locator('.event-details').getByRole('button', { name: /^Show all/ });
    const name = (await toggle.textContent()) ?? '';
    const total = Number(name.replace(/\D/g, ''));

    await toggle.click();

    await expect(page.locator('.event-details .chip').count()).resolves.toBe(total);
  });

  it('selects the project on its setup page', async () => {
    await page.goto(
      `${picket.url}/settings/${project.orgSlug}/projects/${project.projectSlug}/keys/`,
    );
    await page.locator('.key-panel').first().waitFor();

    const selected = await page
      .getByLabel('Project', { exact: true })
      .evaluate((select) => (select as HTMLSelectElement).selectedOptions[0]?.textContent);
    expect(selected).toBe(project.projectSlug);
    await page.screenshot({ path: screenshotPath('project-keys.png'), fullPage: true });
  });

  it('titles the setup page with the project', async () => {
    await expect(page.title()).resolves.toBe(
      `Client Keys — ${project.projectSlug} — ${project.orgSlug} — Picket`,
    );
  });

  it('lists the endpoints each key serves', async () => {
    const labels = await page.locator('.key-details dt').allTextContents();

    expect(labels).toEqual(
      expect.arrayContaining([
        'Security header endpoint',
        'Minidump endpoint',
        'Cron monitor endpoint',
        'OTLP traces endpoint',
        'OTLP logs endpoint',
      ]),
    );
    expect(labels).not.toContain('CSP report endpoint');
    expect(labels).not.toContain('NEL report endpoint');
  });

  it('shows the OTLP auth header with the key', async () => {
    await expect(
      page.locator('.key-details dd', { hasText: 'X-Sentry-Auth' }).first().textContent(),
    ).resolves.toBe(`X-Sentry-Auth: sentry sentry_key=${project.publicKey}`);
  });

  it('shows the minidump URL with the key', async () => {
    const minidumpUrl = `${picket.url}/api/${project.projectId}/minidump/?sentry_key=${project.publicKey}`;

    await expect(
      page.locator('.key-details dd', { hasText: '/minidump/' }).first().textContent(),
    ).resolves.toBe(minidumpUrl);
  });
  it.each([800, 375])('keeps every header link on screen at %i px wide', async (width) => {
    await page.setViewportSize({ width, height: 800 });
    try {
      await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/`);
      const header = page.locator('.app-header');
      await header.getByRole('link', { name: 'Client keys' }).waitFor();
      await page.screenshot({ path: screenshotPath(`header-${width}.png`) });

      const targets = [
        ...(await header.getByRole('navigation', { name: 'Main' }).getByRole('link').all()),
        header.getByRole('button', { name: 'Log out' }),
      ];
      expect(targets.length).toBeGreaterThanOrEqual(10);
      for (const target of targets) {
        const box = await target.boundingBox();
        expect(box).not.toBeNull();
        expect(box!.x).toBeGreaterThanOrEqual(0);
        expect(box!.x + box!.width).toBeLessThanOrEqual(width);
      }
      const overflow = await header.evaluate(
        (element) => element.scrollWidth - element.clientWidth,
      );
      expect(overflow).toBe(0);
    } finally {
      await page.setViewportSize({ width: 1440, height: 1000 });
    }
  });
});
