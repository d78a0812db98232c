/**
 * Replays the session and check-in requests that real SDKs sent (every folder of
 * test/fixtures/sdk-captures that has them) to a running Picket, one project per folder, and
 * reads the release health and monitors back through the web API.
 *
 * Relay keeps session updates of the last 5 days, so the dates in a session capture are moved
 * forward by whole days until they lie within the last day. The replacement has the same
 * length, so the item `length` headers of the capture stay right.
 */
import fs from 'node:fs';
import path from 'node:path';

import Sqlite from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  apiGet,
  apiRequest,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';
import {
  CAPTURES_DIR,
  replayCapture,
  shiftCaptureDates,
  type Capture,
  type ReplayTarget,
} from './captures.js';

const HEALTH_ITEM_TYPES = new Set(['session', 'sessions', 'check_in']);
const DAY_MS = 86_400_000;
const ERROR_STATUSES = new Set(['crashed', 'abnormal', 'errored', 'unhandled']);

interface FolderTarget {
  folder: string;
  projectSlug: string;
  target: ReplayTarget;
  captures: Capture[];
}

interface ExpectedHealth {
  release: string;
  totalSessions: number;
  sessionsCrashed: number;
  sessionsErrored: number;
}

/** The fields of captured `session` and `sessions` payloads that the expectations read. */
interface CapturedSessionPayload {
  sid: string;
  init?: boolean;
  status?: string;
  errors?: number;
  attrs: { release: string };
  aggregates: Partial<
    Record<'exited' | 'errored' | 'crashed' | 'abnormal' | 'unhandled', number>
  >[];
}

interface ApiRelease {
  version: string;
  projects: { slug: string; hasHealthData: boolean; healthData: Record<string, number | null> }[];
}

interface ApiMonitor {
  slug: string;
  config: Record<string, unknown>;
  environments: { name: string; status: string; nextCheckIn: string | null }[];
}

/** Returns the captures of a folder that carry sessions or check-ins, in arrival order. */
function loadHealthCaptures(folder: string): Capture[] {
  const directory = path.join(CAPTURES_DIR, folder);
  return fs
    .readdirSync(directory)
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => ({
      ...(JSON.parse(fs.readFileSync(path.join(directory, name), 'utf8')) as Capture),
      label: `${folder}/${name}`,
    }))
    .filter((capture) =>
      capture.envelope?.items.some((item) => HEALTH_ITEM_TYPES.has(item.header.type)),
    );
}

/** Computes the expected health of a folder from its captures, with Sentry's counting rules. */
function expectedHealth(captures: Capture[]): ExpectedHealth[] {
  const byRelease = new Map<
    string,
    ExpectedHealth & { erroredIds: Set<string>; preaggregated: number; abnormal: number }
  >();

  for (const capture of captures) {
    for (const item of capture.envelope?.items ?? []) {
      const payload = item.payload as CapturedSessionPayload;
      if (item.header.type !== 'session' && item.header.type !== 'sessions') {
        continue;
      }
      const release = payload.attrs.release;
      const entry = byRelease.get(release) ?? {
        release,
        totalSessions: 0,
        sessionsCrashed: 0,
        sessionsErrored: 0,
        erroredIds: new Set<string>(),
        preaggregated: 0,
        abnormal: 0,
      };
      byRelease.set(release, entry);

      if (item.header.type === 'session') {
        entry.totalSessions += payload.init === true ? 1 : 0;
        entry.sessionsCrashed += payload.status === 'crashed' ? 1 : 0;
        entry.abnormal += payload.status === 'abnormal' ? 1 : 0;
        if ((payload.errors ?? 0) > 0 || ERROR_STATUSES.has(payload.status ?? 'ok')) {
          entry.erroredIds.add(payload.sid);
        }
        continue;
      }
      for (const bucket of payload.aggregates) {
        const failed =
          (bucket.errored ?? 0) +
          (bucket.crashed ?? 0) +
          (bucket.abnormal ?? 0) +
          (bucket.unhandled ?? 0);
        entry.totalSessions += (bucket.exited ?? 0) + failed;
        entry.sessionsCrashed += bucket.crashed ?? 0;
        entry.abnormal += bucket.abnormal ?? 0;
        entry.preaggregated += failed;
      }
    }
  }

  return [...byRelease.values()].map((entry) => ({
    release: entry.release,
    totalSessions: entry.totalSessions,
    sessionsCrashed: entry.sessionsCrashed,
    sessionsErrored:
      entry.erroredIds.size + entry.preaggregated - entry.sessionsCrashed - entry.abnormal,
  }));
}

const folders = fs
  .readdirSync(CAPTURES_DIR, { withFileTypes: true })
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
  .filter((folder) => loadHealthCaptures(folder).length > 0);

let picket: PicketInstance;
let owner: TestProject;
const targets = new Map<string, FolderTarget>();
const statuses = new Map<string, number>();

async function createProject(slug: string): Promise<{ target: ReplayTarget; projectSlug: string }> {
  const created = (await apiRequest(
    picket,
    owner.token,
    'POST',
    `/api/0/teams/${owner.orgSlug}/${owner.teamSlug}/projects/`,
    {
      name: slug,
      slug,
      platform: 'other',
    },
  )) as { id: string };
  const keys = (await apiGet(
    picket,
    owner.token,
    `/api/0/projects/${owner.orgSlug}/${slug}/keys/`,
  )) as {
    public: string;
    dsn: { public: string };
  }[];
  return {
    projectSlug: slug,
    target: {
      baseUrl: picket.url,
      projectId: created.id,
      publicKey: keys[0]!.public,
      dsn: keys[0]!.dsn.public,
      apiToken: owner.token,
    },
  };
}

function readOutcomes(projectId: string, category: string): Record<string, number> {
  const database = new Sqlite(path.join(picket.dataDir, 'picket.sqlite'), { readonly: true });
  try {
    const rows = database
      .prepare(
        'SELECT outcome, reason, sum(quantity) AS quantity FROM outcomes WHERE project_id = ? AND category = ? GROUP BY outcome, reason',
      )
      .all(Number(projectId), category) as { outcome: string; reason: string; quantity: number }[];
    return Object.fromEntries(
      rows.map((row) => [`${row.outcome}:${row.reason}`, Number(row.quantity)]),
    );
  } finally {
    database.close();
  }
}

beforeAll(async () => {
  picket = await startPicket();
  owner = await setupProject(picket, 'replay-health');
  const now = Date.now();

  for (const folder of folders) {
    const { target, projectSlug } = await createProject(`capture-${folder}`);
    const captures = loadHealthCaptures(folder);
    targets.set(folder, { folder, projectSlug, target, captures });
    for (const capture of captures) {
      const response = await replayCapture(shiftCaptureDates(capture, now), target);
      statuses.set(capture.label, response.status);
    }
  }
});

afterAll(async () => {
  await picket?.stop();
});

describe('release health replay', () => {
  it('finds session captures of every SDK', () => {
    expect(folders).toEqual(
      expect.arrayContaining(['browser', 'node', 'node-crash', 'python', 'ruby']),
    );
  });

  it('moves capture dates by whole days and keeps the body length', () => {
    const capture = targets.get('python')!.captures[0]!;
    const recorded = Date.parse('2026-12-04T15:39:48.280877Z');
    const shifted = shiftCaptureDates(capture, recorded + 7 * DAY_MS + 3_600_000);

    expect(shifted.body).toHaveLength(capture.body!.length);
    expect(shifted.body).toContain('"started":"2026-12-11T15:39:48.280877Z"');
  });

  it.each(folders)('%s requests are accepted', (folder) => {
    for (const capture of targets.get(folder)!.captures) {
      expect(statuses.get(capture.label), capture.label).toBe(200);
    }
  });

  it.each(folders.filter((folder) => expectedHealth(loadHealthCaptures(folder)).length > 0))(
    '%s sessions land in the release health',
    async (folder) => {
      const { projectSlug, captures } = targets.get(folder)!;
      for (const expected of expectedHealth(captures)) {
        const release = await waitFor(async () => {
          const candidate = (await apiGet(
            picket,
            owner.token,
            `/api/0/organizations/${owner.orgSlug}/releases/${encodeURIComponent(expected.release)}/`,
          )) as ApiRelease;
          const health = candidate.projects.find(
            (project) => project.slug === projectSlug,
          )?.healthData;
          // Later updates of a session arrive in envelopes of their own, so the test waits
          // for every count, not only for the first update of each session.
          const complete =
            health !== undefined &&
            health.totalSessions === expected.totalSessions &&
            health.sessionsCrashed === expected.sessionsCrashed &&
            health.sessionsErrored === expected.sessionsErrored;
          return complete ? health : undefined;
        }, 15_000);

        expect(release.sessionsCrashed, `${folder} crashed`).toBe(expected.sessionsCrashed);
        expect(release.sessionsErrored, `${folder} errored`).toBe(expected.sessionsErrored);
        expect(release.crashFreeSessions, `${folder} crash-free sessions`).toBeCloseTo(
          100 - (100 * expected.sessionsCrashed) / expected.totalSessions,
          6,
        );
        expect(release.totalUsers, `${folder} users`).toBe(0);
        expect(release.crashFreeUsers, `${folder} crash-free users`).toBeNull();
      }
    },
  );

  it('node-crash reports the crashed session of the process', async () => {
    const { projectSlug } = targets.get('node-crash')!;
    const release = (await apiGet(
      picket,
      owner.token,
      `/api/0/organizations/${owner.orgSlug}/releases/node-capture%401.0.0/`,
    )) as ApiRelease;
    const health = release.projects.find((project) => project.slug === projectSlug)?.healthData;

    expect(health?.totalSessions).toBe(1);
    expect(health?.sessionsCrashed).toBe(1);
    expect(health?.crashFreeSessions).toBe(0);
  });

  it('ruby aggregates count one errored session', async () => {
    const { projectSlug } = targets.get('ruby')!;
    const release = (await apiGet(
      picket,
      owner.token,
      `/api/0/organizations/${owner.orgSlug}/releases/ruby-capture%401.0.0/`,
    )) as ApiRelease;
    const health = release.projects.find((project) => project.slug === projectSlug)?.healthData;

    expect(health).toMatchObject({
      totalSessions: 1,
      sessionsErrored: 1,
      sessionsCrashed: 0,
      crashFreeSessions: 100,
    });
  });

  it('node check-ins create both monitors with their schedules', async () => {
    const { target } = targets.get('node')!;
    const monitors = await waitFor(async () => {
      const listed = (await apiGet(
        picket,
        owner.token,
        `/api/0/organizations/${owner.orgSlug}/monitors/?project=${target.projectId}`,
      )) as ApiMonitor[];
      return listed.length === 2 &&
        listed.every((monitor) => monitor.environments[0]?.status === 'ok')
        ? listed
        : undefined;
    }, 15_000);
    const bySlug = new Map(monitors.map((monitor) => [monitor.slug, monitor]));

    expect(bySlug.get('nightly-report')?.config).toMatchObject({
      schedule_type: 'crontab',
      schedule: '0 3 * * *',
      checkin_margin: 5,
      max_runtime: 30,
      timezone: 'Europe/Berlin',
    });
    expect(bySlug.get('hourly-sync')?.config).toMatchObject({
      schedule_type: 'interval',
      schedule: [1, 'hour'],
    });
    expect(bySlug.get('nightly-report')?.environments[0]?.name).toBe('capture');
  });

  it('node check-ins are closed with their durations', async () => {
    const { projectSlug } = targets.get('node')!;
    const checkIns = (await apiGet(
      picket,
      owner.token,
      `/api/0/projects/${owner.orgSlug}/${projectSlug}/monitors/nightly-report/checkins/`,
    )) as { id: string; status: string; duration: number }[];

    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]).toMatchObject({
      id: '786a53df-f8cf-46df-8e49-d51d24a35fd5',
      status: 'ok',
      duration: 50,
    });
  });

  it('node-ratelimit check-in without config counts as invalid_monitor', async () => {
    const { target } = targets.get('node-ratelimit')!;
    const outcomes = await waitFor(async () => {
      const counted = readOutcomes(target.projectId, 'monitor');
      return counted['invalid:invalid_monitor'] === undefined ? undefined : counted;
    }, 15_000);
    expect(outcomes['invalid:invalid_monitor']).toBe(1);
  });
});
