/**
 * A real CSP violation report: Debian's Chromium loads a page served on 127.0.0.1 whose
 * Content-Security-Policy sends reports to Picket's security endpoint. The blocked script
 * points at a closed port on 127.0.0.1, and CSP blocks it before any request is made.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium } from '../helpers/chromium.js';
import {
  apiGet,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const BLOCKED_SCRIPT = 'http://127.0.0.1:1/evil.js';
const PAGE = `<!doctype html>
<html>
  <head><title>CSP test page</title></head>
  <body>
    <p>CSP test page</p>
    <script src="${BLOCKED_SCRIPT}"></script>
    <script>document.title = 'inline ran';</script>
  </body>
</html>`;

interface ApiIssue {
  id: string;
  title: string;
}

interface ApiEvent {
  logger: string;
  level: string;
  release: string | null;
  environment: string | null;
  tags: { key: string; value: string }[];
  entries: { type: string; data: Record<string, unknown> }[];
}

describe('CSP report from Chromium', () => {
  let picket: PicketInstance;
  let project: TestProject;
  let site: http.Server;
  let siteUrl: string;
  let browser: Browser;
  let pageTitle: string;

  async function findIssue(title: string): Promise<ApiIssue> {
    return waitFor(async () => {
      const issues = (await apiGet(
        picket,
        project.token,
        `/api/0/organizations/${project.orgSlug}/issues/?query=&limit=100`,
      )) as ApiIssue[];
      return issues.find((issue) => issue.title === title);
    }, 20_000);
  }

  async function latestEvent(issue: ApiIssue): Promise<ApiEvent> {
    return (await apiGet(
      picket,
      project.token,
      `/api/0/organizations/${project.orgSlug}/issues/${issue.id}/events/latest/`,
    )) as ApiEvent;
  }

  beforeAll(async () => {
    picket = await startPicket();
    project = await setupProject(picket, 'csp');
    const reportUri =
      `${picket.url}/api/${project.projectId}/security/?sentry_key=${project.publicKey}` +
      '&sentry_release=site%401.0.0&sentry_environment=e2e';

    site = http.createServer((_request, response) => {
      response.writeHead(200, {
        'content-type': 'text/html; charset=utf-8',
        'content-security-policy': `default-src 'self'; script-src 'self'; report-uri ${reportUri}`,
      });
      response.end(PAGE);
    });
    await new Promise<void>((resolve) => site.listen(0, '127.0.0.1', resolve));
    siteUrl = `http://127.0.0.1:${(site.address() as AddressInfo).port}/checkout`;

    browser = await launchChromium();
    const page = await browser.newPage();
    await page.goto(siteUrl);
    pageTitle = await page.title();
  });

  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => site?.close(resolve));
    await picket?.stop();
  });

  it('blocks the inline script in the browser', () => {
    expect(pageTitle).toBe('CSP test page');
  });

  it('creates an issue for the blocked script host', async () => {
    const issue = await findIssue("Blocked 'script' from '127.0.0.1:1'");
    const event = await latestEvent(issue);

    expect(event.logger).toBe('csp');
    expect(event.level).toBe('error');
    expect(event.tags).toContainEqual({ key: 'blocked-uri', value: BLOCKED_SCRIPT });
    expect(event.tags.find((tag) => tag.key === 'effective-directive')?.value).toMatch(
      /^script-src/,
    );
  });

  it('keeps the page URL, browser and query context', async () => {
    const event = await latestEvent(await findIssue("Blocked 'script' from '127.0.0.1:1'"));
    const request = event.entries.find((entry) => entry.type === 'request')?.data;

    expect(request?.url).toBe(siteUrl);
    expect(JSON.stringify(request?.headers)).toContain('Chrome');
    expect(event.release).toBe('site@1.0.0');
    expect(event.environment).toBe('e2e');
  });

  it('creates an issue for the inline script', async () => {
    await expect(findIssue("Blocked unsafe inline 'script'")).resolves.toBeDefined();
  });
});
