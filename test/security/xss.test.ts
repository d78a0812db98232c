/**
 * S5: the XSS oracle. Every payload is planted in every field that reaches the UI (event
 * message, exception, frames, tags, contexts, user, request, breadcrumbs, release,
 * environment, transactions, spans, logs, feedback, monitors, comments, team, project and
 * organization names). Then each page of the web router, plus the links found on them, is
 * rendered in Chromium. A `dialog`, a set `window.__xss`, or a CSP block of an inline script
 * counts as a fired payload.
 */
import fs from 'node:fs';
import { randomBytes } from 'node:crypto';

import type { Browser, BrowserContext } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium } from '../helpers/chromium.js';
import { waitFor } from '../helpers/picket.js';
import { mapLimit } from './lib/http-client.js';
import { reportScore } from './lib/scorecard.js';
import { startSecurityPicket, type SecurityPicket } from './lib/security-server.js';
import { XSS_PAYLOADS } from './lib/xss-payloads.js';
import {
  api,
  buildSingleOrganization,
  envelope,
  logIn,
  postEnvelope,
  type Credentials,
  type Organization,
} from './lib/world.js';

const ROUTER_FILE = new URL('../../src/web/app/router.tsx', import.meta.url);
const MAX_PAGES = 45;
const PARALLEL_PAGES = 3;

function hex(bytes: number): string {
  return randomBytes(bytes).toString('hex');
}

/** Reads the page paths of the web router: relative paths join the absolute path before them. */
function routerPaths(): string[] {
  const source = fs.readFileSync(ROUTER_FILE, 'utf8');
  const paths: string[] = [];
  let parent = '/';
  for (const match of source.matchAll(/path:\s*'([^']*)'/g)) {
    const value = match[1] ?? '';
    if (value === '*') {
      continue;
    }
    if (value.startsWith('/')) {
      parent = value;
      paths.push(value);
    } else {
      paths.push(`${parent}${value}`);
    }
  }
  return [...new Set(paths)];
}

/** Plants every payload in every event field, through ingest. */
async function plantEvents(picket: SecurityPicket, org: Organization): Promise<void> {
  const now = Date.now() / 1000;
  const bodies: string[] = [];
  XSS_PAYLOADS.forEach((payload, index) => {
    const traceId = hex(16);
    const frame = {
      filename: payload,
      abs_path: payload,
      function: payload,
      module: payload,
      lineno: 3,
      colno: 7,
      in_app: true,
      context_line: payload,
      pre_context: [payload],
      post_context: [payload],
      vars: { value: payload },
    };
    bodies.push(
      envelope({ event_id: hex(16) }, [
        {
          type: 'event',
          payload: {
            event_id: hex(16),
            timestamp: now,
            platform: 'javascript',
            level: 'error',
            fingerprint: [`xss-${index}`],
            message: payload,
            logentry: { formatted: payload },
            exception: {
              values: [{ type: payload, value: payload, stacktrace: { frames: [frame] } }],
            },
            tags: { [`p${index}`]: payload, payload, [payload.slice(0, 30)]: 'key' },
            user: { id: payload, email: payload, username: payload, name: payload },
            request: {
              url: `https://example.com/?q=${payload}`,
              method: 'GET',
              headers: { Referer: payload, 'X-Payload': payload },
              query_string: payload,
              data: { field: payload },
            },
            breadcrumbs: {
              values: [
                { message: payload, category: payload, data: { url: payload }, timestamp: now },
              ],
            },
            contexts: { custom: { value: payload }, trace: { trace_id: traceId, span_id: hex(8) } },
            extra: { payload },
            culprit: payload,
          },
        },
      ]),
    );
    // Release and environment may be rejected by validation; they get an event of their own.
    bodies.push(
      envelope({ event_id: hex(16) }, [
        {
          type: 'event',
          payload: {
            event_id: hex(16),
            timestamp: now,
            platform: 'javascript',
            fingerprint: [`xss-release-${index}`],
            message: `release ${index}`,
            release: payload,
            environment: payload,
            transaction: payload,
            server_name: payload,
          },
        },
      ]),
    );
    bodies.push(
      envelope({ event_id: hex(16) }, [
        {
          type: 'transaction',
          payload: {
            event_id: hex(16),
            type: 'transaction',
            transaction: payload,
            start_timestamp: now - 1,
            timestamp: now,
            platform: 'javascript',
            contexts: { trace: { trace_id: traceId, span_id: hex(8), op: payload } },
            spans: [
              {
                span_id: hex(8),
                parent_span_id: hex(8),
                trace_id: traceId,
                op: payload,
                description: payload,
                start_timestamp: now - 0.5,
                timestamp: now - 0.2,
              },
            ],
          },
        },
        {
          type: 'log',
          headers: { item_count: 1, content_type: 'application/vnd.sentry.items.log+json' },
          payload: {
            items: [
              {
                timestamp: now,
                trace_id: traceId,
                level: 'error',
                body: payload,
                attributes: { payload: { type: 'string', value: payload } },
              },
            ],
          },
        },
      ]),
    );
    bodies.push(
      envelope({ event_id: hex(16) }, [
        {
          type: 'feedback',
          payload: {
            event_id: hex(16),
            timestamp: now,
            platform: 'javascript',
            contexts: {
              feedback: {
                message: payload,
                contact_email: 'x@example.com',
                name: payload,
                url: payload,
              },
            },
          },
        },
      ]),
    );
  });
  await mapLimit(bodies, 8, (body) =>
    postEnvelope(picket, org.ids.projectId ?? '', org.ids.sentryKey ?? '', body),
  );
}

/** Plants payloads in the names and texts made through the web API; rejected ones are skipped. */
async function plantApiObjects(picket: SecurityPicket, org: Organization, owner: Credentials) {
  const tryApi = async (method: string, path: string, body: unknown) => {
    try {
      await api(picket, owner, method, path, body);
      return true;
    } catch {
      return false;
    }
  };
  const base = `/api/0/organizations/${org.slug}`;
  let accepted = 0;
  for (const [index, payload] of XSS_PAYLOADS.entries()) {
    const results = await Promise.all([
      tryApi('POST', `${base}/issues/${org.ids.issueId}/comments/`, { text: payload }),
      tryApi('POST', `${base}/monitors/`, {
        name: payload,
        slug: `xss-${index}`,
        project: org.ids.project,
        type: 'cron_job',
        config: { schedule_type: 'crontab', schedule: '0 * * * *' },
      }),
      tryApi('POST', `${base}/releases/`, { version: payload, projects: [org.ids.project] }),
      tryApi('POST', `${base}/teams/`, { name: payload, slug: `xss-team-${index}` }),
      tryApi('POST', `${base}/searches/`, { name: payload, query: payload }),
    ]);
    accepted += results.filter(Boolean).length;
  }
  await tryApi('PUT', `/api/0/projects/${org.slug}/${org.ids.project}/`, {
    name: XSS_PAYLOADS[7],
  });
  await tryApi('POST', '/api/0/organizations/', {
    name: XSS_PAYLOADS[0],
    slug: `xss-org-${hex(3)}`,
  });
  return accepted;
}

describe('S5 XSS oracle', () => {
  let picket: SecurityPicket;
  let browser: Browser;
  let context: BrowserContext;
  let org: Organization;

  beforeAll(async () => {
    picket = await startSecurityPicket();
    org = await buildSingleOrganization(picket);
    const owner = await logIn(picket, org.ownerEmail);
    await plantEvents(picket, org);
    await plantApiObjects(picket, org, owner);
    await waitFor(async () => {
      const list = (await api(
        picket,
        owner,
        'GET',
        `/api/0/projects/${org.slug}/${org.ids.project}/issues/?query=&limit=100`,
      )) as unknown[];
      return list.length >= XSS_PAYLOADS.length ? true : undefined;
    }, 60_000);
    browser = await launchChromium();
    context = await browser.newContext();
    const cookies = owner.headers.cookie?.split('; ') ?? [];
    await context.addCookies(
      cookies.map((pair) => {
        const [name = '', value = ''] = pair.split('=');
        return { name, value, url: picket.url };
      }),
    );
    await context.addInitScript(() => {
      const state = globalThis as unknown as { __cspBlocked: string[] };
      state.__cspBlocked = [];
      document.addEventListener('securitypolicyviolation', (event) => {
        state.__cspBlocked.push(`${event.violatedDirective} ${event.blockedURI} ${event.sample}`);
      });
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await picket?.stop();
  });

  it('detects a payload that runs', async () => {
    // The oracle itself must be able to fail: a page that writes a payload as HTML fires.
    const page = await context.newPage();
    let dialogs = 0;
    page.on('dialog', (dialog) => {
      dialogs += 1;
      void dialog.dismiss().catch(() => undefined);
    });
    await page.setContent(`<div>${XSS_PAYLOADS[7] ?? ''}${XSS_PAYLOADS[8] ?? ''}</div>`);
    await page.waitForTimeout(300);
    const xss = await page.evaluate(() => (globalThis as unknown as { __xss?: unknown }).__xss);
    await page.close();
    expect(xss).toBe(1);
    expect(dialogs).toBe(1);
  });

  it('fires no payload on any page', async () => {
    const fill: Record<string, string> = {
      orgSlug: org.slug,
      issueId: org.ids.issueId ?? '',
      traceId: org.ids.traceId ?? '',
      version: encodeURIComponent(XSS_PAYLOADS[0] ?? ''),
      monitorSlug: 'xss-7',
      projectSlug: org.ids.project ?? '',
    };
    const queue = routerPaths()
      .filter((path) => path !== '/auth/login/')
      .map((path) => path.replace(/:([a-zA-Z]+)/g, (_m, name: string) => fill[name] ?? name));
    const seen = new Set<string>();
    const fired: string[] = [];
    const rendered: string[] = [];

    let showingPayloads = 0;
    const renderPage = async (path: string) => {
      const page = await context.newPage();
      const pageFired: string[] = [];
      page.on('dialog', (dialog) => {
        pageFired.push(`dialog ${dialog.type()} "${dialog.message()}"`);
        void dialog.dismiss().catch(() => undefined);
      });
      page.on('console', (message) => {
        if (/Content Security Policy/i.test(message.text()) && /script/i.test(message.text())) {
          pageFired.push(`CSP console: ${message.text().slice(0, 200)}`);
        }
      });
      try {
        await page.goto(`${picket.url}${path}`, { waitUntil: 'networkidle', timeout: 8_000 });
      } catch {
        // A page that keeps polling never reaches network idle; it is checked as it is.
      }
      await page.waitForTimeout(200);
      const state = await page.evaluate(() => {
        const value = globalThis as unknown as { __xss?: unknown; __cspBlocked?: string[] };
        const links = Array.from(document.querySelectorAll('a[href]')).map(
          (a) => a.getAttribute('href') ?? '',
        );
        const text = document.body.innerText;
        return {
          xss: value.__xss,
          csp: value.__cspBlocked ?? [],
          links,
          shows: text.includes('__xss=1'),
        };
      });
      await page.close();
      if (state.xss !== undefined) {
        pageFired.push(`window.__xss = ${JSON.stringify(state.xss)}`);
      }
      pageFired.push(
        ...state.csp.filter((line) => /script/.test(line)).map((line) => `CSP: ${line}`),
      );
      if (state.shows) {
        showingPayloads += 1;
      }
      rendered.push(path);
      fired.push(...pageFired.map((line) => `${path}: ${line}`));
      return state.links;
    };

    while (queue.length > 0 && rendered.length < MAX_PAGES) {
      const batch: string[] = [];
      while (queue.length > 0 && batch.length < PARALLEL_PAGES) {
        const path = queue.shift() ?? '/';
        if (!seen.has(path)) {
          seen.add(path);
          batch.push(path);
        }
      }
      const found = await Promise.all(batch.map(renderPage));
      for (const href of found.flat()) {
        if (href.startsWith('/') && !href.startsWith('//') && !href.startsWith('/api/')) {
          const target = href.split('#')[0] ?? href;
          if (!seen.has(target)) {
            queue.push(target);
          }
        }
      }
    }

    reportScore(
      `S5 XSS: ${fired.length} of ${XSS_PAYLOADS.length} payloads x ${rendered.length} render points fired (Chromium; dialogs, window.__xss and CSP inline-script blocks; ${showingPayloads} pages showed payload text)`,
    );
    expect(XSS_PAYLOADS.length).toBeGreaterThanOrEqual(50);
    expect(rendered.length).toBeGreaterThan(10);
    expect(showingPayloads).toBeGreaterThan(5);
    expect(fired).toEqual([]);
  }, 300_000);
});
