/**
 * The issue page and the Feedback page in Debian's Chromium: user feedback with its
 * screenshot, and the attachments of an event as download links.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logIn, newPage, screenshotPath } from '../helpers/chromium.js';
import { buildEnvelope, newEventId, postEnvelope } from '../helpers/envelopes.js';
import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const ERROR_ID = newEventId();
const FEEDBACK_ID = newEventId();
const LOG_BYTES = Buffer.from('line one\nline two\n\u0000binary tail');
// Markup in user text must show as text.
const COMMENTS = 'The <b>pay</b> button did nothing.';

describe('feedback and attachments in the web UI', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let issueId: string;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'fbui');

    await postEnvelope(
      project,
      buildEnvelope({ event_id: ERROR_ID }, [
        {
          headers: { type: 'event' },
          payload: { event_id: ERROR_ID, message: 'Payment failed', level: 'error' },
        },
        {
          headers: { type: 'attachment', filename: 'checkout.log', content_type: 'text/plain' },
          payload: LOG_BYTES,
        },
      ]),
    );
    await postEnvelope(
      project,
      buildEnvelope({ event_id: FEEDBACK_ID }, [
        {
          headers: { type: 'feedback' },
          payload: {
            type: 'feedback',
            contexts: {
              feedback: {
                message: COMMENTS,
                name: 'Jane Doe',
                contact_email: 'jane@example.com',
                associated_event_id: ERROR_ID,
              },
            },
          },
        },
        {
          headers: { type: 'attachment', filename: 'screenshot.png', content_type: 'image/png' },
          payload: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
        },
      ]),
    );

    const event = (await waitFor(() =>
      apiGet(
        picket,
        project.token,
        `/api/0/projects/${project.orgSlug}/${project.projectSlug}/events/${ERROR_ID}/`,
      ),
    )) as { groupID: string };
    issueId = event.groupID;
    await waitFor(async () => {
      const reports = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/${issueId}/user-reports/`,
      )) as { attachments: unknown[] }[];
      return reports[0]?.attachments.length === 1 ? reports : undefined;
    });

    browser = await launchChromium();
    page = await newPage(browser);

    await logIn(page, picket, project, /\/issues\//);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('shows the feedback on the issue page', async () => {
    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${issueId}/`);
    const panel = page.locator('.issue-feedback');
    await panel.waitFor();

    await expect(panel.locator('.feedback-comments').textContent()).resolves.toBe(COMMENTS);
    await expect(panel.locator('.feedback-contact').textContent()).resolves.toBe(
      'Jane Doe · jane@example.com',
    );
    await expect(panel.locator('b').count()).resolves.toBe(0);
  });

  it('links the screenshot of the feedback', async () => {
    const link = page.locator('.issue-feedback .attachment-link');

    await expect(link.textContent()).resolves.toBe('screenshot.png');
    await expect(link.getAttribute('href')).resolves.toMatch(
      new RegExp(`/events/${FEEDBACK_ID}/attachments/\\d+/\\?download=1$`),
    );
  });

  it('lists the event attachments with size and type', async () => {
    const item = page.locator('.event-attachments .attachment-item');
    await item.waitFor();

    await expect(item.locator('.attachment-link').textContent()).resolves.toBe('checkout.log');
    await expect(item.textContent()).resolves.toContain('event.attachment');
    await expect(item.textContent()).resolves.toContain(`${LOG_BYTES.length} B`);
    await page.screenshot({
      path: screenshotPath('issue-feedback-attachments.png'),
      fullPage: true,
    });
  });

  it('downloads the attachment from its link', async () => {
    const href = await page.locator('.event-attachments .attachment-link').getAttribute('href');
    const downloaded = await page.evaluate(async (url) => {
      const response = await fetch(url!);
      return {
        status: response.status,
        disposition: response.headers.get('content-disposition'),
        bytes: Array.from(new Uint8Array(await response.arrayBuffer())),
      };
    }, href);

    expect(downloaded.status).toBe(200);
    expect(downloaded.disposition).toMatch(/^attachment; filename="checkout.log"/);
    expect(Buffer.from(downloaded.bytes).equals(LOG_BYTES)).toBe(true);
  });

  it('lists the feedback on the Feedback page', async () => {
    await page
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Feedback' })
      .click();
    await page.waitForURL(/\/feedback\//);
    const item = page.locator('.feedback-page .feedback-item');
    await item.waitFor();

    await expect(item.locator('.feedback-comments').textContent()).resolves.toBe(COMMENTS);
    await expect(item.locator('.feedback-issue').textContent()).resolves.toContain(
      'Payment failed',
    );
    await expect(page.title()).resolves.toBe(
      `Feedback — ${project.projectSlug} — ${project.orgSlug} — Picket`,
    );
    await page.screenshot({ path: screenshotPath('feedback-page.png'), fullPage: true });
  });

  it('opens the issue from the Feedback page', async () => {
    await page.locator('.feedback-page .feedback-issue').click();

    await page.waitForURL(new RegExp(`/issues/${issueId}/`));
    await page.locator('.issue-feedback').waitFor();
  });
});
