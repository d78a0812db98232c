/**
 * Stores sessions, session aggregates, error events and check-ins through the worker's
 * `processRecords` on real SQLite and PostgreSQL, then reads them back through the release and
 * monitor repositories.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { MonitorRepository } from '../../src/server/features/crons/index.js';
import { ReleaseRepository } from '../../src/server/features/releases/index.js';
import type { PreparedEvent } from '../../src/server/features/worker/prepare-event.js';
import { processRecords } from '../../src/server/features/worker/process-records.js';
import { storeEvents } from '../../src/server/features/worker/store-events.js';
import { migrateToLatest, type Db } from '../../src/server/platform/db/index.js';
import { createLogger } from '../../src/server/platform/logger.js';
import type { ClaimedRecord } from '../../src/server/platform/queue/index.js';
import {
  STORAGE_ENGINES,
  addTestProject,
  createTestOrganization,
  explainQuery,
} from '../helpers/engines.js';

const LOG = createLogger('silent');
const NOW = Date.now();
const STARTED = new Date(NOW - 60_000).toISOString();
const CHECK_IN_ID = '786a53dff8cf46df8e49d51d24a35fd5';
const NIL_ID = '00000000000000000000000000000000';

let nextRecordId = 1;

function record(projectId: number, kind: string, item: unknown, receivedAt = NOW): ClaimedRecord {
  const meta = {
    eventId: undefined,
    sentAt: undefined,
    clientIp: '127.0.0.1',
    itemHeaders: { type: kind },
  };
  nextRecordId += 1;
  return { id: nextRecordId, projectId, kind, receivedAt, body: JSON.stringify({ meta, item }) };
}

function session(release: string, overrides: Record<string, unknown>) {
  return {
    init: true,
    started: STARTED,
    timestamp: STARTED,
    status: 'ok',
    errors: 0,
    attrs: { release, environment: 'production' },
    ...overrides,
  };
}

function checkIn(overrides: Record<string, unknown>) {
  return { check_in_id: CHECK_IN_ID, monitor_slug: 'nightly', status: 'in_progress', ...overrides };
}

function preparedEvent(
  projectId: number,
  eventId: string,
  release: string,
  timestamp: number,
): PreparedEvent {
  const json = JSON.stringify({ event_id: eventId });
  return {
    projectId,
    eventId,
    receivedAt: NOW + 1_000,
    timestamp,
    type: 'error',
    level: 'error',
    platform: 'node',
    title: 'TypeError: boom',
    culprit: 'app in main',
    metadata: { type: 'TypeError', value: 'boom' },
    hashes: [eventId],
    tags: [['level', 'error']],
    release,
    environment: 'production',
    traceId: null,
    userTag: null,
    json: Buffer.from(json),
    size: json.length,
  };
}

describe.each(STORAGE_ENGINES)('release health storage on $name', ({ open }) => {
  let db: Db;
  let cleanup: () => Promise<void>;
  let organizationId: number;
  let projectId: number;
  let secondProjectId: number;
  let foreignProjectId: number;
  let releases: ReleaseRepository;
  let monitors: MonitorRepository;

  const process = (records: ClaimedRecord[]) =>
    db.kysely.transaction().execute((trx) => processRecords(trx, db.dialect, records, LOG));

  async function outcomes(project: number, category: string) {
    const rows = await db.kysely
      .selectFrom('outcomes')
      .select(['outcome', 'reason', 'quantity'])
      .where('projectId', '=', project)
      .where('category', '=', category)
      .execute();
    const totals: Record<string, number> = {};
    for (const row of rows) {
      const key = `${row.outcome}:${row.reason}`;
      totals[key] = (totals[key] ?? 0) + Number(row.quantity);
    }
    return totals;
  }

  async function releaseHealth(project: number, version: string) {
    const found = await releases.findByVersion(organizationId, version);
    expect(found, `release ${version}`).toBeDefined();
    const totals = await releases.summarizeHealth([found!.id], {
      environments: undefined,
      since: undefined,
    });
    return totals.get(`${found!.id}|${project}`);
  }

  /** Creates a monitor of the foreign project with a config as an older version stored it. */
  async function storeMonitorConfig(slug: string, config: string): Promise<number> {
    const other = await db.kysely
      .selectFrom('projects')
      .select('organizationId')
      .where('id', '=', foreignProjectId)
      .executeTakeFirstOrThrow();
    const row = await db.kysely
      .insertInto('monitors')
      .values({
        guid: `${slug}-guid`,
        organizationId: other.organizationId,
        projectId: foreignProjectId,
        slug,
        name: slug,
        status: 'active',
        isMuted: 0,
        config,
        dateCreated: NOW,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return row.id;
  }

  beforeAll(async () => {
    ({ db, cleanup } = await open());
    await migrateToLatest(db.kysely, db.dialect);
    const acme = await createTestOrganization(db, 'acme');
    organizationId = acme.organizationId;
    projectId = await addTestProject(acme, 'app-0', 'node');
    secondProjectId = await addTestProject(acme, 'app-1', 'node');
    const other = await createTestOrganization(db, 'other');
    foreignProjectId = await addTestProject(other, 'app-0', 'node');
    releases = new ReleaseRepository(db.kysely);
    monitors = new MonitorRepository(db.kysely);
  });

  afterAll(async () => {
    await cleanup();
  });

  it('counts sessions, each errored session once, crashes and users', async () => {
    const version = 'health@1.0.0';
    const [a, b, c] = ['a'.repeat(32), 'b'.repeat(32), 'c'.repeat(32)];
    await process([
      record(projectId, 'session', session(version, { sid: a, did: 'u1' })),
      record(
        projectId,
        'session',
        session(version, { sid: b, did: 'u2', status: 'crashed', errors: 1 }),
      ),
      record(projectId, 'session', session(version, { sid: c, did: 'u3' })),
    ]);
    await process([
      record(projectId, 'session', session(version, { sid: a, did: 'u1', init: false, errors: 1 })),
      record(
        projectId,
        'session',
        session(version, { sid: a, did: 'u1', init: false, status: 'exited', errors: 2 }),
      ),
      record(
        projectId,
        'session',
        session(version, { sid: c, did: 'u3', init: false, status: 'abnormal' }),
      ),
      record(projectId, 'sessions', {
        attrs: { release: version, environment: 'production' },
        aggregates: [{ started: STARTED, exited: 3, errored: 1, crashed: 1 }],
      }),
    ]);

    expect(await releaseHealth(projectId, version)).toEqual({
      sessions: 8,
      errored: 5,
      crashed: 2,
      abnormal: 1,
      unhandled: 0,
      users: 3,
      crashedUsers: 1,
    });
  });

  it('counts stored session items as accepted', async () => {
    expect((await outcomes(projectId, 'session'))['accepted:']).toBe(7);
  });

  it('creates one release for two projects of an organization', async () => {
    const version = 'shared@2.0.0';
    await process([
      record(projectId, 'session', session(version, {})),
      record(secondProjectId, 'session', session(version, {})),
    ]);

    const found = await releases.findByVersion(organizationId, version);
    const projects = await releases.listProjects([found!.id]);
    expect(projects.map((project) => project.projectId).sort()).toEqual(
      [projectId, secondProjectId].sort(),
    );
  });

  it('keeps the releases of two organizations apart', async () => {
    const version = 'shared@2.0.0';
    await process([record(foreignProjectId, 'session', session(version, {}))]);

    const listed = await releases.list({
      organizationId,
      projectIds: undefined,
      text: 'shared',
      offset: 0,
      limit: 10,
    });
    const projects = await releases.listProjects(listed.map((release) => release.id));
    expect(listed).toHaveLength(1);
    expect(projects.map((project) => project.projectId)).not.toContain(foreignProjectId);
  });

  it('records first and last event and new issues from error events', async () => {
    const version = 'events@3.0.0';
    await db.kysely
      .transaction()
      .execute((trx) =>
        storeEvents(trx, db.dialect, [
          preparedEvent(projectId, '1'.repeat(32), version, 5_000),
          preparedEvent(projectId, '2'.repeat(32), version, 9_000),
          preparedEvent(secondProjectId, '3'.repeat(32), version, 7_000),
        ]),
      );
    await db.kysely
      .transaction()
      .execute((trx) =>
        storeEvents(trx, db.dialect, [preparedEvent(projectId, '4'.repeat(32), version, 2_000)]),
      );

    const found = await releases.findByVersion(organizationId, version);
    const newIssues = await releases.countNewIssues([projectId, secondProjectId], [version]);
    expect(Number(found?.firstEvent)).toBe(2_000);
    expect(Number(found?.lastEvent)).toBe(9_000);
    expect(newIssues.get(`${projectId}|${version}`)).toBe(3);
    expect(newIssues.get(`${secondProjectId}|${version}`)).toBe(1);
  });

  it('lists releases newest first, by project and by part of the version', async () => {
    const all = await releases.list({
      organizationId,
      projectIds: undefined,
      text: undefined,
      offset: 0,
      limit: 10,
    });
    const ofSecond = await releases.list({
      organizationId,
      projectIds: [secondProjectId],
      text: undefined,
      offset: 0,
      limit: 10,
    });
    const matching = await releases.list({
      organizationId,
      projectIds: undefined,
      text: 'HEALTH',
      offset: 0,
      limit: 10,
    });

    expect(all.map((release) => release.version)).toEqual([
      'events@3.0.0',
      'shared@2.0.0',
      'health@1.0.0',
    ]);
    expect(ofSecond.map((release) => release.version)).toEqual(['events@3.0.0', 'shared@2.0.0']);
    expect(matching.map((release) => release.version)).toEqual(['health@1.0.0']);
  });

  it('treats percent signs in the version filter as text', async () => {
    const listed = await releases.list({
      organizationId,
      projectIds: undefined,
      text: '%',
      offset: 0,
      limit: 10,
    });
    expect(listed).toEqual([]);
  });

  it('counts invalid sessions with their reasons', async () => {
    await process([
      record(secondProjectId, 'session', session('', {})),
      record(secondProjectId, 'session', session('bad@1', { status: 'exploded' })),
      record(secondProjectId, 'session', session('bad@1', { errors: 'many' })),
      record(
        secondProjectId,
        'session',
        session('bad@1', { started: new Date(NOW - 6 * 86_400_000).toISOString() }),
      ),
      record(secondProjectId, 'sessions', { attrs: { release: 'bad@1' }, aggregates: 'none' }),
      record(secondProjectId, 'session', '{not json'),
    ]);

    const counted = await outcomes(secondProjectId, 'session');
    expect(counted['invalid:missing_release']).toBe(1);
    expect(counted['invalid:invalid_status']).toBe(1);
    expect(counted['invalid:invalid_session']).toBe(3);
    expect(counted['invalid:past_timestamp']).toBe(1);
    expect(await releases.findByVersion(organizationId, 'bad@1')).toBeUndefined();
  });

  it('creates a monitor from monitor_config and closes its check-in', async () => {
    const config = {
      schedule: { type: 'crontab', value: '0 3 * * *' },
      checkin_margin: 5,
      max_runtime: 30,
      timezone: 'Europe/Berlin',
    };
    await process([record(projectId, 'check_in', checkIn({ monitor_config: config }), NOW)]);
    await process([
      record(projectId, 'check_in', checkIn({ status: 'ok', duration: 2.5 }), NOW + 3_000),
    ]);

    const monitor = await monitors.find(organizationId, 'nightly');
    const checkIns = await monitors.listCheckIns({
      monitorId: monitor!.id,
      environments: undefined,
      offset: 0,
      limit: 10,
    });
    const [environment] = await monitors.listEnvironments([monitor!.id]);

    expect(JSON.parse(monitor!.config)).toMatchObject({
      schedule_type: 'crontab',
      schedule: '0 3 * * *',
      timezone: 'Europe/Berlin',
    });
    expect(checkIns).toHaveLength(1);
    expect(checkIns[0]).toMatchObject({
      status: 'ok',
      duration: 2_500,
      environment: 'production',
      timeoutAt: null,
    });
    expect(environment).toMatchObject({ status: 'ok', environment: 'production' });
    expect(Number(environment!.nextCheckInLatest) - Number(environment!.nextCheckIn)).toBe(
      5 * 60_000,
    );
  });

  it('rejects a second final status for a finished check-in', async () => {
    await process([record(projectId, 'check_in', checkIn({ status: 'error' }))]);

    const monitor = await monitors.find(organizationId, 'nightly');
    const checkIns = await monitors.listCheckIns({
      monitorId: monitor!.id,
      environments: undefined,
      offset: 0,
      limit: 10,
    });
    expect(checkIns[0]?.status).toBe('ok');
    expect((await outcomes(projectId, 'monitor'))['invalid:check_in_finished']).toBe(1);
  });

  it('closes the latest in-progress check-in for the all-zero id', async () => {
    const first = 'd'.repeat(32);
    const second = 'e'.repeat(32);
    await process([
      record(
        projectId,
        'check_in',
        checkIn({ check_in_id: first, environment: 'staging' }),
        NOW + 10_000,
      ),
      record(
        projectId,
        'check_in',
        checkIn({ check_in_id: second, environment: 'staging' }),
        NOW + 20_000,
      ),
      record(
        projectId,
        'check_in',
        checkIn({ check_in_id: NIL_ID, status: 'error', environment: 'staging' }),
        NOW + 25_000,
      ),
    ]);

    const monitor = await monitors.find(organizationId, 'nightly');
    const checkIns = await monitors.listCheckIns({
      monitorId: monitor!.id,
      environments: ['staging'],
      offset: 0,
      limit: 10,
    });
    expect(checkIns.map((row) => [row.guid, row.status, row.duration])).toEqual([
      [second, 'error', 5_000],
      [first, 'in_progress', null],
    ]);
  });

  it('keeps environments apart for the same check-in id', async () => {
    await process([
      record(
        projectId,
        'check_in',
        checkIn({ check_in_id: 'd'.repeat(32), status: 'ok', environment: 'production' }),
      ),
    ]);
    expect((await outcomes(projectId, 'monitor'))['invalid:monitor_environment_mismatch']).toBe(1);
  });

  it('creates nothing for an unknown slug without config', async () => {
    await process([record(secondProjectId, 'check_in', checkIn({ monitor_slug: 'ghost' }))]);

    expect(await monitors.find(organizationId, 'ghost')).toBeUndefined();
    expect((await outcomes(secondProjectId, 'monitor'))['invalid:invalid_monitor']).toBe(1);
  });

  it('creates nothing for an unknown slug with an invalid config', async () => {
    const config = { schedule: { type: 'crontab', value: '61 * * * *' } };
    await process([
      record(
        secondProjectId,
        'check_in',
        checkIn({ monitor_slug: 'broken', monitor_config: config }),
      ),
    ]);

    expect(await monitors.find(organizationId, 'broken')).toBeUndefined();
    expect((await outcomes(secondProjectId, 'monitor'))['invalid:invalid_monitor']).toBe(2);
  });

  it('refuses a slug that another project of the organization owns', async () => {
    const config = { schedule: { type: 'interval', value: 1, unit: 'hour' } };
    await process([
      record(
        secondProjectId,
        'check_in',
        checkIn({ check_in_id: 'f'.repeat(32), monitor_config: config }),
      ),
    ]);

    const monitor = await monitors.find(organizationId, 'nightly');
    expect(monitor?.projectId).toBe(projectId);
    expect((await outcomes(secondProjectId, 'monitor'))['invalid:invalid_monitor']).toBe(3);
  });

  it('marks an environment failed only after the failure threshold', async () => {
    const config = {
      schedule: { type: 'interval', value: 1, unit: 'hour' },
      failure_issue_threshold: 2,
    };
    const ids = ['1', '2', '3'].map((digit) => digit.repeat(32));
    await process([
      record(
        projectId,
        'check_in',
        checkIn({
          monitor_slug: 'flaky',
          check_in_id: ids[0],
          status: 'ok',
          monitor_config: config,
        }),
        NOW,
      ),
    ]);
    await process([
      record(
        projectId,
        'check_in',
        checkIn({ monitor_slug: 'flaky', check_in_id: ids[1], status: 'error' }),
        NOW + 1_000,
      ),
    ]);
    const monitor = await monitors.find(organizationId, 'flaky');
    const afterOne = (await monitors.listEnvironments([monitor!.id]))[0]?.status;

    await process([
      record(
        projectId,
        'check_in',
        checkIn({ monitor_slug: 'flaky', check_in_id: ids[2], status: 'error' }),
        NOW + 2_000,
      ),
    ]);
    const afterTwo = (await monitors.listEnvironments([monitor!.id]))[0]?.status;

    expect(afterOne).toBe('ok');
    expect(afterTwo).toBe('error');
  });

  it('updates the config of an existing monitor with the keys sent', async () => {
    const config = { schedule: { type: 'interval', value: 2, unit: 'hour' }, max_runtime: 10 };
    await process([
      record(
        projectId,
        'check_in',
        checkIn({
          monitor_slug: 'flaky',
          check_in_id: '4'.repeat(32),
          status: 'ok',
          monitor_config: config,
        }),
      ),
    ]);

    const monitor = await monitors.find(organizationId, 'flaky');
    expect(JSON.parse(monitor!.config)).toMatchObject({
      schedule_type: 'interval',
      schedule: [2, 'hour'],
      max_runtime: 10,
      failure_issue_threshold: 2,
    });
  });

  it('rejects a monitor_config interval too long to schedule', async () => {
    const forever = (unit: string) => ({
      schedule: { type: 'interval', value: Number.MAX_SAFE_INTEGER, unit },
    });
    const valid = { schedule: { type: 'interval', value: 1, unit: 'day' } };

    await process([
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'forever-minutes', monitor_config: forever('minute') }),
      ),
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'forever-days', monitor_config: forever('day') }),
      ),
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'daily', monitor_config: valid }),
      ),
    ]);

    const stored = await db.kysely
      .selectFrom('monitors')
      .select('slug')
      .where('projectId', '=', foreignProjectId)
      .execute();
    expect(stored.map((monitor) => monitor.slug)).toEqual(['daily']);
    expect((await outcomes(foreignProjectId, 'monitor'))['invalid:invalid_monitor']).toBe(2);
    expect((await outcomes(foreignProjectId, 'monitor'))['accepted:']).toBe(1);
  });

  it('schedules nothing for an unbounded interval stored earlier', async () => {
    const config = { schedule_type: 'interval', schedule: [Number.MAX_SAFE_INTEGER, 'day'] };
    const monitor = await storeMonitorConfig('legacy-interval', JSON.stringify(config));

    await process([
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'legacy-interval', check_in_id: '5'.repeat(32), status: 'ok' }),
      ),
    ]);

    const [environment] = await monitors.listEnvironments([monitor]);
    expect(environment).toMatchObject({ status: 'ok', nextCheckIn: null, nextCheckInLatest: null });
  });

  it('counts a check-in of an unreadable stored config as invalid', async () => {
    await storeMonitorConfig('unreadable', '{"schedule_type":');
    const before = await outcomes(foreignProjectId, 'monitor');

    await process([
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'unreadable', check_in_id: '6'.repeat(32) }),
      ),
      record(
        foreignProjectId,
        'check_in',
        checkIn({ monitor_slug: 'daily', check_in_id: '7'.repeat(32), status: 'ok' }),
      ),
    ]);

    const after = await outcomes(foreignProjectId, 'monitor');
    const unreadable = await db.kysely
      .selectFrom('monitorCheckIns')
      .select('guid')
      .where('guid', '=', '6'.repeat(32))
      .execute();
    expect(after['invalid:processing_error']).toBe(1);
    expect(after['accepted:']).toBe((before['accepted:'] ?? 0) + 1);
    expect(unreadable).toEqual([]);
  });

  it('finds the newest check-in of each environment', async () => {
    const monitor = await monitors.find(organizationId, 'nightly');
    const environments = await monitors.listEnvironments([monitor!.id]);
    const latest = await monitors.findLatestCheckIns(
      environments.map((environment) => environment.id),
    );
    const byName = new Map(
      environments.map((environment) => [
        environment.environment,
        latest.get(Number(environment.id))?.guid,
      ]),
    );

    expect(byName.get('staging')).toBe('e'.repeat(32));
    expect(byName.get('production')).toBe(CHECK_IN_ID);
  });

  it('lists monitors by part of the name and by project', async () => {
    const byText = await monitors.list({ organizationId, projectIds: undefined, text: 'FLAK' });
    const ofSecond = await monitors.list({
      organizationId,
      projectIds: [secondProjectId],
      text: undefined,
    });

    expect(byText.map((monitor) => monitor.slug)).toEqual(['flaky']);
    expect(ofSecond).toEqual([]);
  });

  it('serves the release list from its index', async () => {
    const plan = await explainQuery(
      db,
      'SELECT * FROM releases WHERE organization_id = 1 ORDER BY date_created DESC, id DESC LIMIT 26',
    );

    expect(plan).toContain('releases_org_date_created');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('sums session hours of a release from the primary key', async () => {
    const plan = await explainQuery(
      db,
      'SELECT release_id, project_id, sum(sessions) FROM release_session_hours WHERE release_id IN (1, 2) GROUP BY release_id, project_id',
    );

    if (db.sqlite !== undefined) {
      expect(plan).toMatch(/SEARCH release_session_hours USING (COVERING )?INDEX/);
      return;
    }
    expect(plan).toContain('release_session_hours_pk');
  });

  it('lists check-ins of a monitor from its index', async () => {
    const plan = await explainQuery(
      db,
      'SELECT * FROM monitor_check_ins WHERE monitor_id = 1 ORDER BY date_created DESC, id DESC LIMIT 26',
    );

    expect(plan).toContain('monitor_check_ins_monitor_date');
    expect(plan).not.toContain('TEMP B-TREE');
  });

  it('finds the latest in-progress check-in from the environment index', async () => {
    const plan = await explainQuery(
      db,
      "SELECT * FROM monitor_check_ins WHERE monitor_environment_id = 1 AND status = 'in_progress' ORDER BY date_created DESC, id DESC LIMIT 1",
    );

    expect(plan).toContain('monitor_check_ins_env_status_date');
    expect(plan).not.toMatch(/TEMP B-TREE|Sort/);
  });
});
