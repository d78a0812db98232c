import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, logInThrough, newPage, screenshotPath } from '../helpers/chromium.js';
import { newEventId } from '../helpers/envelopes.js';
import {
  apiGet,
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { startSmtp, type TestSmtp } from '../helpers/smtp.js';

const MARKUP_NAME = '<img src=x onerror=alert(1)> New errors';
const WORKER_TIMEOUT_MS = 20_000;

interface RuleResponse {
  id: string;
  name: string;
  conditions: { id: string }[];
  filters: { id: string; match?: string; level?: string }[];
  actions: { id: string; url?: string; secret?: string; [field: string]: unknown }[];
  frequency: number;
}

/** Sends an error event with its own fingerprint, so that it creates a new issue. */
async function sendError(project: TestProject, message: string): Promise<void> {
  const eventId = newEventId();
  const response = await sendEnvelope(
    project.dsn,
    [
      {
        headers: { type: 'event' },
        payload: {
          event_id: eventId,
          platform: 'javascript',
          level: 'error',
          message,
          fingerprint: [message],
        },
      },
    ],
    { event_id: eventId },
  );
  expect(response.status).toBe(200);
}

async function waitForIssue(
  picket: PicketInstance,
  project: TestProject,
  title: string,
): Promise<{ id: string }> {
  return waitFor(async () => {
    const issues = (await apiGet(
      picket,
      project.token,
      `/api/0/projects/${project.orgSlug}/${project.projectSlug}/issues/?query=`,
    )) as { id: string; title: string }[];
    return issues.find((issue) => issue.title === title);
  }, WORKER_TIMEOUT_MS);
}

describe('alert rule pages', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;
  let ruleId: string;
  const dialogs: string[] = [];

  const rulesPath = () => `/api/0/projects/${project.orgSlug}/${project.projectSlug}/rules/`;

  beforeAll(async () => {
    picket = await startPicket({ env: { PICKET_OUTBOUND_ALLOW: '127.0.0.1' } });
    project = await setupProject(picket, 'alertui');
    await sendError(project, 'Checkout failed before the rule');
    await waitForIssue(picket, project, 'Checkout failed before the rule');

    browser = await launchChromium();
    page = await newPage(browser);
    page.on('dialog', (dialog) => {
      dialogs.push(dialog.message());
      void dialog.dismiss();
    });
    await logInThrough(page, `${picket.url}/organizations/${project.orgSlug}/alerts/`, project);
    await page.waitForURL(/\/alerts\/rules\/$/);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('explains rules when there are none', async () => {
    await page.getByText('No alert rules yet').waitFor();

    await expect(
      page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Alerts' }).count(),
    ).resolves.toBe(1);
  });

  it('shows server validation errors beside the actions', async () => {
    await page.getByRole('link', { name: 'Create alert rule' }).click();
    await page.waitForURL(/\/alerts\/new\/issue\/$/);
    await page.getByLabel('Rule name').fill('Invalid URL');
    await page.getByLabel('Add condition').selectOption({ label: 'A new issue is created' });
    await page.getByLabel('Add action').selectOption({ label: 'Send a signed webhook to …' });
    await page.getByRole('group', { name: 'Action 1' }).getByLabel('URL').fill('ftp://127.0.0.1/x');
    await page.getByRole('button', { name: 'Save rule' }).click();

    const error = page.locator('.rule-section .field-error');
    await error.waitFor();
    await expect(error.textContent()).resolves.toContain('Action 1 url:');
  });

  it('creates a rule through the editor', async () => {
    await page.getByLabel('Rule name').fill(MARKUP_NAME);
    await page.getByLabel('Add filter').selectOption({ label: "The event's level is … …" });
    const filter = page.getByRole('group', { name: 'Filter 1' });
    await filter.getByLabel('Match').selectOption({ label: 'greater than or equal to' });
    await filter.getByLabel('Level').selectOption({ label: 'error' });
    await page
      .getByRole('group', { name: 'Action 1' })
      .getByLabel('URL')
      .fill('http://127.0.0.1:9/hook');
    await page.getByLabel('Add action').selectOption({ label: 'Send a notification to …' });
    const email = page.getByRole('group', { name: 'Action 2' });
    await email.getByLabel('Send to').selectOption({ label: 'a member' });
    await email.getByLabel('Member').selectOption({ label: project.email });
    await page.getByLabel('Action interval').selectOption({ label: '1 hour' });
    await page.screenshot({ path: screenshotPath('alert-rule-editor.png'), fullPage: true });
    await page.getByRole('button', { name: 'Save rule' }).click();

    await page.waitForURL(/\/alerts\/rules\/[^/]+\/\d+\/$/);
    ruleId = /\/(\d+)\/$/.exec(page.url())?.[1] ?? '';
    const members = (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/members/`,
    )) as { email: string; user: { id: string } }[];
    const member = members.find((candidate) => candidate.email === project.email);
    if (member === undefined) {
      throw new Error(`member ${project.email} not found`);
    }
    const rule = (await apiGet(picket, project.token, `${rulesPath()}${ruleId}/`)) as RuleResponse;
    expect(rule.name).toBe(MARKUP_NAME);
    expect(rule.conditions.map((node) => node.id)).toEqual([
      'sentry.rules.conditions.first_seen_event.FirstSeenEventCondition',
    ]);
    expect(rule.filters).toEqual([
      { id: 'sentry.rules.filters.level.LevelFilter', match: 'gte', level: '40' },
    ]);
    expect(rule.actions[0]?.url).toBe('http://127.0.0.1:9/hook');
    expect(rule.actions[1]).toMatchObject({
      id: 'sentry.mail.actions.NotifyEmailAction',
      targetType: 'Member',
      targetIdentifier: String(member.user.id),
    });
    expect(rule.frequency).toBe(60);
  });

  it('shows the details with the signing secret', async () => {
    await page.getByRole('heading', { level: 1 }).waitFor();
    const rule = (await apiGet(picket, project.token, `${rulesPath()}${ruleId}/`)) as RuleResponse;

    await expect(page.getByRole('heading', { level: 1 }).textContent()).resolves.toBe(MARKUP_NAME);
    await expect(
      page.getByText("The event's level is greater than or equal to error").count(),
    ).resolves.toBe(1);
    await expect(page.getByTestId('signing-secret').textContent()).resolves.toBe(
      rule.actions[0]?.secret,
    );
    await expect(page.getByRole('button', { name: 'Copy signing secret' }).count()).resolves.toBe(
      1,
    );
    await page.screenshot({ path: screenshotPath('alert-rule-details.png'), fullPage: true });
  });

  it('shows a markup name as text', async () => {
    await expect(page.locator('img[src="x"]').count()).resolves.toBe(0);
    expect(dialogs).toEqual([]);
  });

  it('lists the new rule', async () => {
    await page.getByRole('link', { name: 'Alert rules' }).click();
    await page.waitForURL(/\/alerts\/rules\/$/);
    const row = page.locator(`[data-rule="${ruleId}"]`);
    await row.waitFor();

    await expect(row.getByRole('link').textContent()).resolves.toBe(MARKUP_NAME);
    await expect(row.textContent()).resolves.toContain('A new issue is created');
    await expect(row.textContent()).resolves.toContain('Active');
    // Member names load after the rules, so wait for the e-mail, not the "user <id>" fallback.
    await row.getByText(`a member (${project.email})`).waitFor();
    await page.screenshot({ path: screenshotPath('alert-rules.png') });
  });

  it('opens the details from the list', async () => {
    await page.locator(`[data-rule="${ruleId}"]`).getByRole('link').click();

    await page.waitForURL(new RegExp(`/alerts/rules/${project.projectSlug}/${ruleId}/$`));
    await page.getByRole('heading', { name: 'Deliveries' }).waitFor();
  });

  it('sends a test notification', async () => {
    await page.getByRole('button', { name: 'Send test notification' }).click();

    const result = page.locator('.alert').filter({ hasText: /test notification|Unable/ });
    await result.waitFor();
    await expect(result.textContent()).resolves.toContain('Queued 2 test notifications');
    await expect(result.textContent()).resolves.toContain('appear under Deliveries below');
    await page.locator('.delivery-table tbody tr').first().waitFor();
  });

  it('previews the issues a draft would fire for', async () => {
    await page.goto(
      `${picket.url}/organizations/${project.orgSlug}/alerts/new/issue/?project=${project.projectSlug}`,
    );
    await page.getByLabel('Add condition').selectOption({ label: 'A new issue is created' });

    const preview = page.getByTestId('rule-preview');
    await preview
      .getByRole('link', { name: 'Checkout failed before the rule' })
      .waitFor({ timeout: WORKER_TIMEOUT_MS });
    await expect(preview.getByRole('status').textContent()).resolves.toMatch(
      /^\d+ issues? would have fired/,
    );
  });

  it('lists a firing on the issue page', async () => {
    await sendError(project, 'Payment failed after the rule');
    const issue = await waitForIssue(picket, project, 'Payment failed after the rule');
    await waitFor(async () => {
      const firings = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/${issue.id}/picket-alerts/`,
      )) as unknown[];
      return firings.length > 0 ? firings : undefined;
    }, WORKER_TIMEOUT_MS);

    await page.goto(`${picket.url}/organizations/${project.orgSlug}/issues/${issue.id}/`);
    const panel = page.locator('.issue-alerts');
    await panel.getByRole('link', { name: MARKUP_NAME }).waitFor();

    await expect(panel.textContent()).resolves.toContain('first seen');
    await expect(panel.locator('[data-delivery-status]').count()).resolves.toBeGreaterThan(0);
    await panel.screenshot({ path: screenshotPath('issue-alerts-panel.png') });
  });

  it('deletes the rule after confirmation', async () => {
    page.removeAllListeners('dialog');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.goto(
      `${picket.url}/organizations/${project.orgSlug}/alerts/rules/${project.projectSlug}/${ruleId}/edit/`,
    );
    await page.getByRole('button', { name: 'Delete rule' }).click();

    await page.waitForURL(/\/alerts\/rules\/$/);
    const rules = (await apiGet(picket, project.token, rulesPath())) as RuleResponse[];
    expect(rules.map((rule) => rule.id)).not.toContain(ruleId);
  });
});

describe('notification settings page', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'notifyui');
    browser = await launchChromium();
    page = await newPage(browser);
    await logInThrough(page, `${picket.url}/settings/account/notifications/`, project);
    await page.waitForURL(/\/settings\/account\/notifications\/$/);
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('keeps a saved choice after a reload', async () => {
    const workflow = page.getByRole('radiogroup', { name: 'Workflow' });
    await workflow.getByLabel('Never').check();
    await page.getByText('Saved.').waitFor();

    await page.reload();
    await page.getByRole('radiogroup', { name: 'Workflow' }).waitFor();

    await expect(
      page.getByRole('radiogroup', { name: 'Workflow' }).getByLabel('Never').isChecked(),
    ).resolves.toBe(true);
    await expect(
      page.getByRole('radiogroup', { name: 'Issue alerts' }).getByLabel('On').isChecked(),
    ).resolves.toBe(true);
  });

  it('is linked from the account settings', async () => {
    await expect(
      page
        .getByRole('navigation', { name: 'Settings' })
        .getByRole('link', { name: 'Notifications' })
        .count(),
    ).resolves.toBe(1);
  });

  it('shows why the test e-mail failed', async () => {
    await page.getByRole('button', { name: 'Send a test e-mail' }).click();

    const alert = page.getByRole('alert');
    await alert.waitFor();
    await expect(alert.textContent()).resolves.toContain('SMTP is not configured');
    await page.screenshot({ path: screenshotPath('notification-settings.png'), fullPage: true });
  });
});

describe('test e-mail with SMTP', () => {
  let smtp: TestSmtp;
  let picket: PicketInstance;
  let browser: Browser;

  beforeAll(async () => {
    smtp = await startSmtp({ starttls: false });
    picket = await startPicket({
      env: {
        PICKET_SMTP_URL: smtp.url,
        PICKET_SMTP_FROM: 'picket@example.com',
      },
    });
    browser = await launchChromium();
  });

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
    await smtp?.close();
  });

  it('shows where the test e-mail went', async () => {
    const project = await setupProject(picket, 'smtpui');
    const page = await newPage(browser);
    await logInThrough(page, `${picket.url}/settings/account/notifications/`, project);
    await page.getByRole('button', { name: 'Send a test e-mail' }).click();

    const status = page.getByText(`Sent to ${project.email}`);
    await status.waitFor();
    expect(smtp.received.flatMap((mail) => mail.to)).toEqual([project.email]);
  });
});
