/**
 * Real SDKs against a DSN key limited to one error: @sentry/node 11.12.0, @sentry/browser
 * 11.17.0 in Chromium, Debian's python3-sentry-sdk 1.9.10 and ruby-sentry-ruby 5.3.0. Each must
 * honour the 429's X-Sentry-Rate-Limits: the server receives no further error of the key within
 * the window, and the SDK reports the errors it dropped as `ratelimit_backoff` in a client
 * report, which the server records as `client_discard` outcomes.
 */
import fs from 'node:fs';
import type http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';

import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { launchChromium, requireChromium, startStaticServer } from '../helpers/chromium.js';
import {
  apiGet,
  apiRequest,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import { NODE_CLIENT_DIR, PYTHON_CLIENT_DIR, REPOSITORY_ROOT, runProgram } from './clients.js';

const RATELIMIT_DIR = path.join(NODE_CLIENT_DIR, 'ratelimit');
const RUBY_SCRIPT = path.join(REPOSITORY_ROOT, 'test/clients/ruby/ratelimit_app.rb');
// After the outcomes match, they are read again this much later to see that nothing more came.
const SETTLE_MS = 2_500;

/** What a JavaScript test client recorded: response statuses and the SDK's own outcomes. */
interface ClientState {
  statuses: (number | null)[];
  dropped: { reason: string; category: string; quantity: number }[];
}

interface StatsGroup {
  by: { outcome: string; category: string; reason: string };
  totals: { 'sum(quantity)': number };
}

let picket: PicketInstance;

beforeAll(async () => {
  picket = await startPicket();
});

afterAll(async () => {
  await picket?.stop();
});

/** Creates a project whose DSN key accepts one error per `windowSeconds`. */
async function createLimitedProject(prefix: string, windowSeconds: number) {
  const project = await setupProject(picket, prefix);
  await apiRequest(
    picket,
    project.token,
    'PUT',
    `/api/0/projects/${project.orgSlug}/${project.projectSlug}/keys/${project.publicKey}/`,
    { rateLimit: { window: windowSeconds, count: 1 } },
  );
  await waitForWindowRoom(project, windowSeconds, Math.min(windowSeconds / 2, 40));
  return project;
}

/**
 * Waits until the key's current rate-limit window has at least `seconds` left, so that a
 * client run does not straddle two windows. Windows are shifted by the key's numeric id, which
 * the API does not show, so it is read from the database.
 */
async function waitForWindowRoom(project: TestProject, windowSeconds: number, seconds: number) {
  const db = new Database(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
  const row = db
    .prepare('SELECT id FROM project_keys WHERE public_key = ?')
    .get(project.publicKey) as {
    id: number;
  };
  db.close();

  const windowMs = windowSeconds * 1000;
  const offsetMs = (row.id % windowSeconds) * 1000;
  const remaining = windowMs - ((Date.now() - offsetMs) % windowMs);
  if (remaining < seconds * 1000) {
    await new Promise((resolve) => setTimeout(resolve, remaining + 200));
  }
}

async function readOutcomes(project: TestProject): Promise<Record<string, number>> {
  const body = (await apiGet(
    picket,
    project.token,
    `/api/0/organizations/${project.orgSlug}/stats_v2/?field=sum(quantity)&groupBy=outcome&groupBy=category&groupBy=reason&statsPeriod=24h&interval=1h&category=error&project=${project.projectId}`,
  )) as { groups: StatsGroup[] };
  return Object.fromEntries(
    body.groups.map((group) => [
      `${group.by.outcome}/${group.by.reason}`,
      group.totals['sum(quantity)'],
    ]),
  );
}

/**
 * Waits until the project's error outcomes include `expected`, then reads them again after a
 * pause and returns that second reading, so that a later request would show in it.
 */
async function settleOutcomes(project: TestProject, expected: Record<string, number>) {
  let last: Record<string, number> = {};
  try {
    await waitFor(async () => {
      last = await readOutcomes(project);
      return Object.entries(expected).every(([key, value]) => last[key] === value)
        ? true
        : undefined;
    }, 20_000);
  } catch (error) {
    throw new Error(`outcomes ${JSON.stringify(last)} never reached ${JSON.stringify(expected)}`, {
      cause: error,
    });
  }
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
  return readOutcomes(project);
}

function sumDropped(state: ClientState, reason: string, category: string): number {
  return state.dropped
    .filter((entry) => entry.reason === reason && entry.category === category)
    .reduce((sum, entry) => sum + entry.quantity, 0);
}

describe('@sentry/node 11.12.0 under a key rate limit', () => {
  let project: TestProject;
  let state: ClientState;

  beforeAll(async () => {
    project = await createLimitedProject('node-rl', 3600);
    const stdout = await runProgram(
      process.execPath,
      [path.join(RATELIMIT_DIR, 'node-ratelimit.mjs'), project.dsn],
      { timeoutMs: 30_000 },
    );
    state = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as ClientState;
  });

  it('receives exactly one 429', () => {
    expect(state.statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('drops the later error and message itself', () => {
    expect(sumDropped(state, 'ratelimit_backoff', 'error')).toBe(2);
  });

  it('sends no further error and reports ratelimit_backoff', async () => {
    const outcomes = await settleOutcomes(project, {
      'accepted/none': 1,
      'rate_limited/key_quota': 1,
      'client_discard/ratelimit_backoff': 2,
    });

    expect(outcomes['rate_limited/key_quota']).toBe(1);
    expect(outcomes['accepted/none']).toBe(1);
    expect(outcomes['client_discard/ratelimit_backoff']).toBe(2);
  });
});

describe('python3-sentry-sdk 1.9.10 under a key rate limit', () => {
  let project: TestProject;

  beforeAll(async () => {
    project = await createLimitedProject('python-rl', 3600);
    await runProgram(
      '/usr/bin/python3',
      [path.join(PYTHON_CLIENT_DIR, 'ratelimit_app.py'), project.dsn],
      {
        timeoutMs: 30_000,
      },
    );
  });

  it('sends no further error and reports ratelimit_backoff', async () => {
    const outcomes = await settleOutcomes(project, {
      'accepted/none': 1,
      'rate_limited/key_quota': 1,
      'client_discard/ratelimit_backoff': 2,
    });

    expect(outcomes['rate_limited/key_quota']).toBe(1);
    expect(outcomes['accepted/none']).toBe(1);
    expect(outcomes['client_discard/ratelimit_backoff']).toBe(2);
  });
});

describe('sentry-ruby 5.3.0 under a key rate limit', () => {
  let project: TestProject;
  let output: { sent: number; waited: number };

  beforeAll(async () => {
    // A short window, because sentry-ruby sends its client report only after its own limit
    // expired: the client report item is checked against the error limit.
    project = await createLimitedProject('ruby-rl', 20);
    const stdout = await runProgram('ruby', [RUBY_SCRIPT, project.dsn], { timeoutMs: 120_000 });
    output = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as typeof output;
  }, 150_000);

  it('waits for its limit before sending again', () => {
    expect(output.sent).toBe(4);
    expect(output.waited).toBeGreaterThanOrEqual(31);
  });

  it('sends no error while limited and reports ratelimit_backoff', async () => {
    const outcomes = await settleOutcomes(project, {
      'accepted/none': 2,
      'rate_limited/key_quota': 1,
      'client_discard/ratelimit_backoff': 1,
    });

    expect(outcomes['rate_limited/key_quota']).toBe(1);
    expect(outcomes['accepted/none']).toBe(2);
    expect(outcomes['client_discard/ratelimit_backoff']).toBe(1);
  });
});

describe('@sentry/browser 11.17.0 in Chromium under a key rate limit', () => {
  let project: TestProject;
  let pageDir: string;
  let pageServer: http.Server;
  let state: ClientState;

  beforeAll(async () => {
    requireChromium();
    project = await createLimitedProject('browser-rl', 3600);
    pageDir = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-ratelimit-page-'));
    await runProgram(
      process.execPath,
      [path.join(RATELIMIT_DIR, 'build-ratelimit-page.mjs'), pageDir],
      {
        timeoutMs: 30_000,
      },
    );
    pageServer = await startStaticServer(pageDir);
    const pageOrigin = `http://127.0.0.1:${(pageServer.address() as AddressInfo).port}`;

    const browser = await launchChromium();
    try {
      const page = await browser.newPage();
      await page.goto(`${pageOrigin}/?dsn=${encodeURIComponent(project.dsn)}`);
      await page.waitForFunction(() => document.getElementById('status')?.textContent === 'ready');
      state = await page.evaluate(() =>
        (globalThis as unknown as { __picket: { run(): Promise<ClientState> } }).__picket.run(),
      );
      // Leaving the page makes the SDK send its client report.
      await page.goto('about:blank');
      await settleOutcomes(project, { 'client_discard/ratelimit_backoff': 2 });
    } finally {
      await browser.close();
    }
  }, 90_000);

  afterAll(async () => {
    await new Promise<void>((resolve) => pageServer?.close(() => resolve()));
    fs.rmSync(pageDir, { recursive: true, force: true });
  });

  it('reads the 429 through CORS', () => {
    expect(state.statuses.filter((status) => status === 429)).toHaveLength(1);
  });

  it('drops the later error and message itself', () => {
    expect(sumDropped(state, 'ratelimit_backoff', 'error')).toBe(2);
  });

  it('sends no further error and reports ratelimit_backoff', async () => {
    const outcomes = await readOutcomes(project);

    expect(outcomes['rate_limited/key_quota']).toBe(1);
    expect(outcomes['accepted/none']).toBe(1);
    expect(outcomes['client_discard/ratelimit_backoff']).toBe(2);
  });
});
