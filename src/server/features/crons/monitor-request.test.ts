import { describe, expect, it } from 'vitest';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import { ValidationError } from '../../platform/errors.js';
import { parseMonitorCreate, parseMonitorUpdate } from './monitor-request.js';

const HOURLY: MonitorConfig = {
  schedule_type: 'crontab',
  schedule: '0 * * * *',
  checkin_margin: 5,
  max_runtime: null,
  timezone: 'Europe/Berlin',
  failure_issue_threshold: null,
  recovery_threshold: null,
};

const CURRENT = { config: HOURLY, projectId: 7, projectSlug: 'web' };

function fieldsOf(run: () => unknown): Record<string, string[]> {
  try {
    run();
  } catch (error) {
    if (error instanceof ValidationError) {
      return error.fields;
    }
    throw error;
  }
  throw new Error('expected a ValidationError');
}

describe('parseMonitorCreate', () => {
  it('reads a crontab monitor with its options', () => {
    const input = parseMonitorCreate({
      name: 'Nightly backup',
      project: 'web',
      type: 'cron_job',
      config: {
        schedule_type: 'crontab',
        schedule: '0  3 * * *',
        checkin_margin: 10,
        max_runtime: 60,
        timezone: 'America/New_York',
      },
    });

    expect(input).toEqual({
      name: 'Nightly backup',
      slug: undefined,
      project: 'web',
      status: 'active',
      isMuted: false,
      config: {
        schedule_type: 'crontab',
        schedule: '0 3 * * *',
        checkin_margin: 10,
        max_runtime: 60,
        timezone: 'America/New_York',
        failure_issue_threshold: null,
        recovery_threshold: null,
      },
    });
  });

  it('reads an interval schedule and a numeric project id', () => {
    const input = parseMonitorCreate({
      name: 'Sync',
      project: 42,
      config: { schedule_type: 'interval', schedule: [2, 'hour'] },
    });

    expect(input.project).toBe('42');
    expect(input.config.schedule).toEqual([2, 'hour']);
  });

  it('accepts camelCase config keys', () => {
    const input = parseMonitorCreate({
      name: 'Sync',
      project: 'web',
      config: { scheduleType: 'interval', schedule: [5, 'minute'], checkinMargin: 3 },
    });

    expect(input.config.checkin_margin).toBe(3);
  });

  it('puts the requested slug in Sentry form', () => {
    const input = parseMonitorCreate({
      name: 'Sync',
      slug: 'Nightly Sync',
      project: 'web',
      config: HOURLY,
    });

    expect(input.slug).toBe('nightly-sync');
  });

  it('rejects a numeric slug', () => {
    expect(
      fieldsOf(() =>
        parseMonitorCreate({ name: 'A', slug: '123', project: 'web', config: HOURLY }),
      ),
    ).toHaveProperty('slug');
  });

  it('rejects an invalid crontab', () => {
    const fields = fieldsOf(() =>
      parseMonitorCreate({
        name: 'A',
        project: 'web',
        config: { schedule_type: 'crontab', schedule: '61 * * * *' },
      }),
    );

    expect(fields.config?.[0]).toMatch(/Schedule is invalid/);
  });

  it('rejects a margin above the limit', () => {
    const fields = fieldsOf(() =>
      parseMonitorCreate({
        name: 'A',
        project: 'web',
        config: { ...HOURLY, checkin_margin: 40_321 },
      }),
    );

    expect(fields.config?.[0]).toMatch(/checkin_margin/);
  });

  it('rejects a body without a name, project or config', () => {
    expect(fieldsOf(() => parseMonitorCreate({ project: 'web', config: HOURLY }))).toHaveProperty(
      'name',
    );
    expect(fieldsOf(() => parseMonitorCreate({ name: 'A', config: HOURLY }))).toHaveProperty(
      'project',
    );
    expect(fieldsOf(() => parseMonitorCreate({ name: 'A', project: 'web' }))).toHaveProperty(
      'config',
    );
  });

  it('rejects another monitor type', () => {
    expect(
      fieldsOf(() =>
        parseMonitorCreate({ name: 'A', project: 'web', type: 'uptime', config: HOURLY }),
      ),
    ).toHaveProperty('type');
  });
});

describe('parseMonitorUpdate', () => {
  it('merges a partial config into the current one', () => {
    const update = parseMonitorUpdate({ config: { max_runtime: 15 } }, CURRENT);

    expect(update.config).toEqual({ ...HOURLY, max_runtime: 15 });
  });

  it('takes the type of a schedule object over the current type', () => {
    const update = parseMonitorUpdate(
      { config: { schedule: { type: 'interval', value: 10, unit: 'minute' } } },
      CURRENT,
    );

    expect(update.config?.schedule_type).toBe('interval');
    expect(update.config?.schedule).toEqual([10, 'minute']);
  });

  it('reads only the fields sent', () => {
    expect(parseMonitorUpdate({ isMuted: true }, CURRENT)).toEqual({ isMuted: true });
  });

  it('rejects a schedule that does not fit the current type', () => {
    expect(
      fieldsOf(() => parseMonitorUpdate({ config: { schedule: [1, 'day'] } }, CURRENT)),
    ).toHaveProperty('config');
  });

  it('rejects a move to another project', () => {
    expect(fieldsOf(() => parseMonitorUpdate({ project: 'api' }, CURRENT))).toHaveProperty(
      'project',
    );
  });

  it('accepts the current project by slug or id', () => {
    expect(parseMonitorUpdate({ project: 'web', name: 'B' }, CURRENT)).toEqual({ name: 'B' });
    expect(parseMonitorUpdate({ project: 7 }, CURRENT)).toEqual({});
  });
});
