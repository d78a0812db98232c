/**
 * Replays every ingest capture set in test/fixtures/sdk-captures, including the rate-limited,
 * static-tracing and no-CORS runs, each into a project of its own. Every envelope item and store
 * body is then accounted for in the project's outcomes (Sentry's stats API): each item is
 * `accepted` in its data category, client reports appear as `client_discard`, and nothing is
 * counted as invalid or filtered, except a check-in for a monitor that was never configured,
 * which Sentry also refuses.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { apiGet, setupProject, startPicket, waitFor } from '../helpers/picket.js';
import {
  ALL_INGEST_CAPTURE_SETS,
  capturedItems,
  loadCaptures,
  replayCapture,
  shiftCaptureDates,
  type Capture,
  type EnvelopeItem,
} from './captures.js';

const SPAN_V2 = 'application/vnd.sentry.items.span.v2+json';
// Sentry's stats report `default` and `security` under `error`.
const ITEM_CATEGORIES: Record<string, string> = {
  event: 'error',
  transaction: 'transaction',
  session: 'session',
  sessions: 'session',
  feedback: 'feedback',
  attachment: 'attachment',
};

interface StatsGroup {
  by: { outcome: string; category: string; reason?: string };
  totals: Record<string, number>;
}

type Totals = Map<string, number>;

function add(totals: Totals, key: string, quantity: number): void {
  totals.set(key, (totals.get(key) ?? 0) + quantity);
}

/**
 * Adds the outcomes one item must produce, keyed `outcome/category`. `monitors` holds the slugs
 * created so far by a check-in with a `monitor_config`.
 */
function expectItem(item: EnvelopeItem, totals: Totals, monitors: Set<string>): void {
  const payload = item.payload as Record<string, unknown>;
  const { type } = item.header;

  if (type === 'event' && payload.type === 'transaction') {
    expectItem({ header: { type: 'transaction' }, payload }, totals, monitors);
    return;
  }
  if (type === 'transaction') {
    const spans = Array.isArray(payload.spans) ? payload.spans.length : 0;
    add(totals, 'accepted/transaction', 1);
    add(totals, 'accepted/span', spans + 1);
    return;
  }
  if (type === 'span') {
    const count = item.header.content_type === SPAN_V2 ? (payload.items as unknown[]).length : 1;
    add(totals, 'accepted/span', count);
    return;
  }
  if (type === 'log') {
    add(totals, 'accepted/log_item', (payload.items as unknown[]).length);
    return;
  }
  if (type === 'client_report') {
    const discarded = (payload.discarded_events ?? []) as { category: string; quantity: number }[];
    for (const entry of discarded) {
      add(totals, `client_discard/${entry.category}`, entry.quantity);
    }
    return;
  }

  if (type === 'check_in') {
    // As in Sentry, a check-in for an unknown monitor without a config creates nothing.
    const slug = String(payload.monitor_slug);
    if (payload.monitor_config !== undefined) {
      monitors.add(slug);
    }
    add(totals, monitors.has(slug) ? 'accepted/monitor' : 'invalid/monitor', 1);
    return;
  }

  const category = ITEM_CATEGORIES[type];
  if (category === undefined) {
    throw new Error(`no expectation for item type ${type}`);
  }
  add(totals, `accepted/${category}`, 1);
}

function expectedOutcomes(captures: Capture[]): Totals {
  const totals: Totals = new Map();
  const monitors = new Set<string>();
  for (const capture of captures) {
    for (const item of capturedItems(capture)) {
      expectItem(item, totals, monitors);
    }
  }
  return totals;
}

async function readOutcomes(picket: PicketInstance, project: TestProject): Promise<Totals> {
  const query = new URLSearchParams([
    ['field', 'sum(quantity)'],
    ['groupBy', 'outcome'],
    ['groupBy', 'category'],
    ['interval', '1h'],
    ['statsPeriod', '2d'],
    ['project', String(project.projectId)],
  ]);
  const stats = (await apiGet(
    picket,
    project.token,
    `/api/0/organizations/${project.orgSlug}/stats_v2/?${query.toString()}`,
  )) as { groups: StatsGroup[] };

  const totals: Totals = new Map();
  for (const group of stats.groups) {
    if (group.by.category === 'log_byte') {
      continue;
    }
    add(totals, `${group.by.outcome}/${group.by.category}`, group.totals['sum(quantity)'] ?? 0);
  }
  return totals;
}

const sets = ALL_INGEST_CAPTURE_SETS.map((set) => {
  const captures = loadCaptures([set]).filter((capture) => capture.path.includes('/api/42/'));
  return { set, captures, expected: expectedOutcomes(captures) };
});

let picket: PicketInstance | undefined;
const results = new Map<string, { statuses: string[]; outcomes: Totals | Error }>();

beforeAll(async () => {
  picket = await startPicket();
  const now = Date.now();

  for (const { set, captures } of sets) {
    const project = await setupProject(picket, set.replaceAll('-', ''));
    const target = {
      baseUrl: picket.url,
      projectId: String(project.projectId),
      publicKey: project.publicKey,
      dsn: project.dsn,
      apiToken: project.token,
    };
    const statuses: string[] = [];
    for (const capture of captures) {
      const response = await replayCapture(shiftCaptureDates(capture, now), target);
      statuses.push(`${capture.label}: ${response.status}`);
    }
    results.set(set, { statuses, outcomes: new Map() });

    const expected = sets.find((entry) => entry.set === set)!.expected;
    const instance = picket;
    try {
      const outcomes = await waitFor(async () => {
        const current = await readOutcomes(instance, project);
        const done = [...expected].every(([key, quantity]) => (current.get(key) ?? 0) >= quantity);
        return done ? current : undefined;
      }, 30_000);
      results.set(set, { statuses, outcomes });
    } catch {
      results.set(set, { statuses, outcomes: await readOutcomes(instance, project) });
    }
  }
}, 300_000);

afterAll(async () => {
  await picket?.stop();
});

describe.each(sets)('every item of the $set captures', ({ set, expected }) => {
  it('is answered 200 or 202', () => {
    const { statuses } = results.get(set)!;
    for (const status of statuses) {
      expect(status).toMatch(/: 20[02]$/);
    }
  });

  it('is counted in its data category, and nothing is invalid or filtered', () => {
    const { outcomes } = results.get(set)!;
    if (outcomes instanceof Error) {
      throw outcomes;
    }
    const unexpected = [...outcomes].filter(
      ([key, quantity]) =>
        quantity > 0 &&
        (key.startsWith('invalid/') || key.startsWith('filtered/')) &&
        !expected.has(key),
    );
    expect(unexpected, 'invalid or filtered outcomes').toEqual([]);
    expect(Object.fromEntries(outcomes)).toEqual(Object.fromEntries(expected));
  });
});
