import { randomUUID } from 'node:crypto';

import { sql } from 'kysely';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import type { ClaimedRecord } from '../../platform/queue/index.js';
import type { Logger } from '../../platform/logger.js';
import type { ItemRecordBody } from '../ingest/item-kinds.js';
import type { RecordProcessor, RecordProcessorContext } from '../worker/record-processors.js';
import { parseItemRecord } from '../worker/record-processors.js';
import { parseCheckIn, type ParsedCheckIn } from './check-in-parser.js';
import {
  CheckInStore,
  type CheckInRow,
  type EnvironmentRow,
  type MonitorRow,
} from './check-in-store.js';
import { createConfig, readStoredConfig } from './monitor-config.js';
import { checkInMarginMs, floorToMinute, maxRuntimeMs, nextExpectedCheckIn } from './schedule.js';

const CATEGORY = 'monitor';

type Result = { outcome: 'accepted' } | { outcome: 'invalid' | 'filtered'; reason: string };

const invalid = (reason: string): Result => ({ outcome: 'invalid', reason });

/**
 * Stores `check_in` records: upserts the monitor from `monitor_config`, creates or updates
 * the check-in and moves its environment's status and next expected check-in. Unusable
 * check-ins are counted as `invalid` with Sentry's reasons, `invalid_monitor` for an unknown
 * monitor slug without a valid config, as Sentry's monitor consumer does.
 */
export const processCheckInRecords: RecordProcessor = async (records, context) => {
  const store = new CheckInStore(context.trx);

  for (const record of records) {
    const result = await processIsolated(store, record, context);
    if (result.outcome === 'accepted') {
      context.count(record, 'accepted', '', CATEGORY);
    } else {
      context.count(record, result.outcome, result.reason, CATEGORY);
    }
  }
};

/**
 * Processes one check-in inside a savepoint. An error that is not the database's, such as a
 * stored config this code cannot read, undoes that check-in's writes and counts it as
 * `invalid` with `processing_error`, so it cannot fail the batch over and over. Database and
 * system errors carry a string `code` (`SQLITE_*`, a PostgreSQL SQLSTATE, `ECONNRESET`) and are
 * rethrown, so the batch is retried.
 */
async function processIsolated(
  store: CheckInStore,
  record: ClaimedRecord,
  context: RecordProcessorContext,
): Promise<Result> {
  await sql`SAVEPOINT check_in`.execute(context.trx);

  try {
    const result = await processCheckIn(store, record, context.log);
    await sql`RELEASE SAVEPOINT check_in`.execute(context.trx);
    return result;
  } catch (error) {
    if (hasErrorCode(error)) {
      throw error;
    }
    await sql`ROLLBACK TO SAVEPOINT check_in`.execute(context.trx);
    await sql`RELEASE SAVEPOINT check_in`.execute(context.trx);
    context.log.error({ err: error, projectId: record.projectId }, 'check-in processing failed');
    return invalid('processing_error');
  }
}

function hasErrorCode(error: unknown): boolean {
  return (
    typeof error === 'object' &&
    error !== null &&
    typeof (error as { code?: unknown }).code === 'string'
  );
}

async function processCheckIn(
  store: CheckInStore,
  record: ClaimedRecord,
  log: Logger,
): Promise<Result> {
  let body: ItemRecordBody;
  try {
    body = parseItemRecord(record);
  } catch {
    // Ingest wrote the record, so its JSON is valid unless the queue row was damaged.
    return invalid('invalid_json');
  }

  const parsed = parseCheckIn(body.item);
  if (!parsed.ok) {
    return invalid(parsed.reason);
  }
  const checkIn = parsed.checkIn;

  const organizationId = await store.findOrganizationId(record.projectId);
  if (organizationId === undefined) {
    return invalid('project_not_found');
  }

  const monitor = await ensureMonitor(store, {
    organizationId,
    projectId: record.projectId,
    checkIn,
    now: record.receivedAt,
  });
  if (checkIn.config !== undefined && !checkIn.config.ok) {
    log.info(
      {
        projectId: record.projectId,
        monitorSlug: checkIn.monitorSlug,
        reason: checkIn.config.message,
      },
      'monitor config rejected',
    );
  }
  if (monitor === undefined || monitor.projectId !== record.projectId) {
    return invalid('invalid_monitor');
  }
  if (monitor.status === 'disabled') {
    return { outcome: 'filtered', reason: 'monitor_disabled' };
  }

  const environment = await store.ensureEnvironment(
    monitor.id,
    checkIn.environment,
    record.receivedAt,
  );
  const config = readStoredConfig(monitor.config);
  const stored = await storeCheckIn(store, {
    monitor,
    environment,
    config,
    checkIn,
    receivedAt: record.receivedAt,
  });
  if (stored.outcome !== 'accepted' || stored.checkIn === undefined) {
    return stored;
  }

  await updateEnvironment(store, environment, config, stored.checkIn, record.receivedAt);
  return { outcome: 'accepted' };
}

/**
 * Returns the check-in's monitor: creates it from a valid `monitor_config`, or applies the
 * config's keys to an existing monitor. Undefined when the monitor does not exist and cannot
 * be created. An invalid config leaves an existing monitor as it is.
 */
async function ensureMonitor(
  store: CheckInStore,
  input: { organizationId: number; projectId: number; checkIn: ParsedCheckIn; now: number },
): Promise<MonitorRow | undefined> {
  const { organizationId, projectId, checkIn, now } = input;
  const monitor = await store.findMonitor(organizationId, checkIn.monitorSlug);
  const update = checkIn.config?.ok === true ? checkIn.config.update : undefined;

  if (update === undefined) {
    return monitor;
  }

  if (monitor === undefined) {
    const config = createConfig(update);
    return config === undefined
      ? undefined
      : store.createMonitor({ organizationId, projectId, slug: checkIn.monitorSlug, config, now });
  }

  if (monitor.projectId !== projectId) {
    return monitor;
  }
  const current = readStoredConfig(monitor.config);
  const merged: MonitorConfig = { ...current, ...update };
  if (JSON.stringify(merged) !== JSON.stringify(current)) {
    await store.updateMonitorConfig(monitor.id, merged);
    return { ...monitor, config: JSON.stringify(merged) };
  }
  return monitor;
}

interface StoreInput {
  monitor: MonitorRow;
  environment: EnvironmentRow;
  config: MonitorConfig;
  checkIn: ParsedCheckIn;
  receivedAt: number;
}

type StoreResult =
  | (Result & { outcome: 'invalid' | 'filtered' })
  | { outcome: 'accepted'; checkIn: CheckInRow | undefined };

async function storeCheckIn(store: CheckInStore, input: StoreInput): Promise<StoreResult> {
  const { monitor, environment, config, checkIn, receivedAt } = input;
  const existing =
    checkIn.checkInId === undefined
      ? await store.findLatestInProgress(environment.id)
      : await store.findCheckIn(monitor.projectId, checkIn.checkInId);

  if (existing !== undefined) {
    if (existing.monitorEnvironmentId !== environment.id) {
      return { outcome: 'invalid', reason: 'monitor_environment_mismatch' };
    }
    return updateCheckIn(store, existing, input);
  }

  const dateCreated = receivedAt - (checkIn.durationMs ?? 0);
  const row: Omit<CheckInRow, 'id'> = {
    guid: checkIn.checkInId ?? randomUUID().replaceAll('-', ''),
    projectId: monitor.projectId,
    monitorId: monitor.id,
    monitorEnvironmentId: environment.id,
    status: checkIn.status,
    duration: checkIn.status === 'in_progress' ? null : checkIn.durationMs,
    dateCreated,
    dateUpdated: receivedAt,
    expectedTime: environment.nextCheckIn,
    timeoutAt:
      checkIn.status === 'in_progress' ? floorToMinute(dateCreated) + maxRuntimeMs(config) : null,
    monitorConfig: JSON.stringify(config),
    traceId: checkIn.traceId,
  };
  await store.insertCheckIn(row);
  return { outcome: 'accepted', checkIn: { ...row, id: 0 } };
}

/**
 * Applies a second check-in with the same id, as Sentry does: a finished check-in takes no
 * new final status (a late `in_progress` is ignored), and one that timed out keeps the status
 * `timeout` but records its duration.
 */
async function updateCheckIn(
  store: CheckInStore,
  existing: CheckInRow,
  input: StoreInput,
): Promise<StoreResult> {
  const { config, checkIn, receivedAt } = input;
  const timedOut =
    existing.status === 'timeout' ||
    (existing.status === 'in_progress' &&
      existing.timeoutAt !== null &&
      receivedAt > existing.timeoutAt);
  const isFinished = existing.status === 'ok' || existing.status === 'error';
  const isFinal = checkIn.status !== 'in_progress';

  if (isFinished) {
    return isFinal
      ? { outcome: 'invalid', reason: 'check_in_finished' }
      : { outcome: 'accepted', checkIn: undefined };
  }

  const duration = checkIn.durationMs ?? Math.abs(receivedAt - existing.dateCreated);
  if (duration > 2_147_483_647) {
    return { outcome: 'invalid', reason: 'invalid_check_in' };
  }

  const status = timedOut && isFinal ? 'timeout' : checkIn.status;
  const changes = {
    status,
    duration: isFinal ? duration : existing.duration,
    dateUpdated: receivedAt,
    // An in-progress heartbeat extends the allowed runtime from the time it arrived.
    timeoutAt: status === 'in_progress' ? floorToMinute(receivedAt) + maxRuntimeMs(config) : null,
  };
  await store.updateCheckIn(existing.id, changes);
  return { outcome: 'accepted', checkIn: { ...existing, ...changes } };
}

/**
 * Moves the environment to the check-in: its last check-in, the next expected one, and the
 * status `ok` or `error` once the recovery or failure threshold of consecutive check-ins is
 * reached. An in-progress check-in leaves the status as it is.
 */
async function updateEnvironment(
  store: CheckInStore,
  environment: EnvironmentRow,
  config: MonitorConfig,
  checkIn: CheckInRow,
  receivedAt: number,
) {
  const nextCheckIn = nextExpectedCheckIn(config, receivedAt) ?? null;
  let status = environment.status;

  if (checkIn.status === 'error' || checkIn.status === 'timeout') {
    const threshold = config.failure_issue_threshold ?? 1;
    const recent = await store.listRecentStatuses(environment.id, threshold);
    const allFailed =
      recent.length >= threshold &&
      recent.every((value) => value === 'error' || value === 'timeout');
    if (environment.status === 'error' || allFailed) {
      status = 'error';
    }
  } else if (checkIn.status === 'ok' && environment.status !== 'ok') {
    const threshold = config.recovery_threshold ?? 1;
    const recent = await store.listRecentStatuses(environment.id, threshold);
    if (recent.every((value) => value === 'ok')) {
      status = 'ok';
    }
  }

  await store.updateEnvironment(environment, {
    status,
    lastCheckIn: checkIn.dateCreated,
    nextCheckIn,
    nextCheckInLatest: nextCheckIn === null ? null : nextCheckIn + checkInMarginMs(config),
  });
}
