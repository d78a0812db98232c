import { randomUUID } from 'node:crypto';

import { checkReleaseVersion } from './release-version.js';
import { floorToHour, measureClockDrift, parseProtocolTime } from './protocol-time.js';

/** Relay keeps session updates of the last 5 days. */
export const MAX_SESSION_AGE_MS = 5 * 24 * 3_600_000;
/** Relay's allowance for clocks running ahead, after clock drift correction. */
export const MAX_FUTURE_MS = 60_000;

const MAX_ENVIRONMENT_LENGTH = 64;
const MAX_DISTINCT_ID_LENGTH = 200;
const MAX_AGGREGATE_COUNT = 0xffffffff;

const STATUSES = new Set(['ok', 'exited', 'crashed', 'abnormal', 'errored', 'unhandled']);
const ERROR_STATUSES = new Set(['crashed', 'abnormal', 'errored', 'unhandled']);
const NIL_UUID = /^0{8}-?0{4}-?0{4}-?0{4}-?0{12}$/;
const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/** The counts that one session update or one aggregate bucket adds to a release's health. */
export interface SessionContribution {
  release: string;
  /** The environment, or the empty string when the SDK sent none. */
  environment: string;
  /** The hour the sessions started, in epoch milliseconds. */
  hour: number;
  /** Time of the update, for the user's first and last seen. */
  seenAt: number;
  sessions: number;
  /** Errored sessions counted by an aggregate, which needs no deduplication. */
  erroredCount: number;
  /** The session id of a single update that reports errors; counted once per session. */
  erroredSessionId: string | undefined;
  crashed: number;
  abnormal: number;
  unhandled: number;
  exited: number;
  user: SessionUser | undefined;
}

export interface SessionUser {
  distinctId: string;
  errored: boolean;
  crashed: boolean;
  abnormal: boolean;
}

export interface SessionRejection {
  reason: string;
  quantity: number;
}

export type ParsedSessionItem =
  | { ok: true; contributions: SessionContribution[]; rejected: SessionRejection[] }
  | { ok: false; reason: string };

/** Envelope context that session parsing needs. */
export interface SessionItemContext {
  receivedAt: number;
  sentAt: string | undefined;
}

type Attributes = { release: string; environment: string };
type Failure = { ok: false; reason: string };

const fail = (reason: string): Failure => ({ ok: false, reason });

/**
 * Validates a `session` item (one session update) and returns what it adds. The checks follow
 * Relay: a release is required, the status must be known, `started` is required, times are
 * corrected for clock drift and must lie within the last 5 days and not in the future.
 */
export function parseSessionUpdate(item: unknown, context: SessionItemContext): ParsedSessionItem {
  if (!isRecord(item)) {
    return fail('invalid_session');
  }

  const attributes = readAttributes(item.attrs);
  if (!attributes.ok) {
    return attributes;
  }

  const status = item.status ?? 'ok';
  if (typeof status !== 'string' || !STATUSES.has(status)) {
    return fail('invalid_status');
  }

  const fields = readUpdateFields(item);
  if (!fields.ok) {
    return fields;
  }

  const drift = measureClockDrift(context.sentAt, context.receivedAt);
  const started = parseProtocolTime(item.started);
  const timestamp = item.timestamp === undefined ? undefined : parseProtocolTime(item.timestamp);
  if (started === undefined || (item.timestamp !== undefined && timestamp === undefined)) {
    return fail('invalid_timestamp');
  }

  // A missing update time defaults to the receive time, which needs no drift correction.
  const startedAt = started + drift;
  const updatedAt = Math.max(
    timestamp === undefined ? context.receivedAt : timestamp + drift,
    startedAt,
  );
  const timeReason =
    checkTime(startedAt, context.receivedAt) ?? checkTime(updatedAt, context.receivedAt);
  if (timeReason !== undefined) {
    return fail(timeReason);
  }

  const isErrored = fields.errors > 0 || ERROR_STATUSES.has(status);
  const flag = (expected: string) => (status === expected ? 1 : 0);

  return {
    ok: true,
    rejected: [],
    contributions: [
      {
        ...attributes.value,
        hour: floorToHour(startedAt),
        seenAt: updatedAt,
        sessions: fields.init ? 1 : 0,
        erroredCount: 0,
        erroredSessionId: isErrored ? fields.sessionId : undefined,
        crashed: flag('crashed'),
        abnormal: flag('abnormal'),
        unhandled: flag('unhandled'),
        exited: flag('exited'),
        user:
          fields.distinctId === undefined
            ? undefined
            : {
                distinctId: fields.distinctId,
                errored: isErrored,
                crashed: status === 'crashed',
                abnormal: status === 'abnormal',
              },
      },
    ],
  };
}

/**
 * Validates a `sessions` item (aggregates sent by SDKs in request mode) and returns one
 * contribution per bucket. Buckets outside the accepted time range are dropped and reported
 * in `rejected`; the item is rejected when no bucket is left.
 */
export function parseSessionAggregates(
  item: unknown,
  context: SessionItemContext,
): ParsedSessionItem {
  if (!isRecord(item)) {
    return fail('invalid_session');
  }

  const attributes = readAttributes(item.attrs);
  if (!attributes.ok) {
    return attributes;
  }

  const aggregates = item.aggregates ?? [];
  if (!Array.isArray(aggregates)) {
    return fail('invalid_session');
  }
  if (aggregates.length === 0) {
    return fail('empty_aggregates');
  }

  const drift = measureClockDrift(context.sentAt, context.receivedAt);
  const contributions: SessionContribution[] = [];
  const rejected = new Map<string, number>();

  for (const aggregate of aggregates) {
    const bucket = readAggregate(aggregate);
    if (!bucket.ok) {
      return bucket;
    }

    const startedAt = bucket.started + drift;
    const timeReason = checkTime(startedAt, context.receivedAt);
    if (timeReason !== undefined) {
      rejected.set(timeReason, (rejected.get(timeReason) ?? 0) + 1);
      continue;
    }

    const { exited, errored, abnormal, unhandled, crashed } = bucket.counts;
    const erroredCount = errored + abnormal + unhandled + crashed;
    contributions.push({
      ...attributes.value,
      hour: floorToHour(startedAt),
      seenAt: startedAt,
      sessions: exited + erroredCount,
      erroredCount,
      erroredSessionId: undefined,
      crashed,
      abnormal,
      unhandled,
      exited,
      user:
        bucket.distinctId === undefined
          ? undefined
          : {
              distinctId: bucket.distinctId,
              errored: erroredCount > 0,
              crashed: crashed > 0,
              abnormal: abnormal > 0,
            },
    });
  }

  const rejections = [...rejected].map(([reason, quantity]) => ({ reason, quantity }));
  if (contributions.length === 0) {
    return fail(rejections[0]?.reason ?? 'empty_aggregates');
  }
  return { ok: true, contributions, rejected: rejections };
}

function readAttributes(value: unknown): { ok: true; value: Attributes } | Failure {
  if (value === undefined || value === null) {
    return fail('missing_release');
  }
  if (!isRecord(value)) {
    return fail('invalid_session');
  }

  const release = checkReleaseVersion(value.release);
  if (!release.ok) {
    return release;
  }

  const environment = value.environment ?? '';
  if (typeof environment !== 'string') {
    return fail('invalid_session');
  }

  // As in Relay, an environment that is too long or contains a slash or line break is removed
  // while the session is kept.
  const trimmed = environment.trim();
  const isValid =
    trimmed.length <= MAX_ENVIRONMENT_LENGTH &&
    !/[\n\r/]/.test(trimmed) &&
    !trimmed.includes('\u0000');
  return { ok: true, value: { release: release.version, environment: isValid ? trimmed : '' } };
}

function readUpdateFields(item: Record<string, unknown>) {
  const { init = false, errors = 0, sid, did, seq, duration } = item;
  const isCount = (value: unknown) => Number.isSafeInteger(value) && (value as number) >= 0;

  if (typeof init !== 'boolean' || !isCount(errors)) {
    return fail('invalid_session');
  }
  if (seq !== undefined && seq !== null && !isCount(seq)) {
    return fail('invalid_session');
  }
  if (
    duration !== undefined &&
    duration !== null &&
    !(typeof duration === 'number' && duration >= 0)
  ) {
    return fail('invalid_session');
  }
  if (sid !== undefined && (typeof sid !== 'string' || !UUID.test(sid))) {
    return fail('invalid_session');
  }

  const distinctId = readDistinctId(did);
  if (distinctId === false) {
    return fail('invalid_session');
  }

  const sessionId = (typeof sid === 'string' ? sid : randomUUID())
    .replaceAll('-', '')
    .toLowerCase();
  return { ok: true as const, init, errors: errors as number, sessionId, distinctId };
}

/**
 * Returns the distinct id, undefined when absent or nil, or false when it is not a string or
 * contains NUL, which PostgreSQL cannot store.
 */
function readDistinctId(value: unknown): string | undefined | false {
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string' || value.includes('\u0000')) {
    return false;
  }

  const trimmed = value.trim();
  if (trimmed === '' || NIL_UUID.test(trimmed)) {
    return undefined;
  }
  return trimmed.slice(0, MAX_DISTINCT_ID_LENGTH);
}

function readAggregate(value: unknown) {
  if (!isRecord(value)) {
    return fail('invalid_session');
  }

  const started = parseProtocolTime(value.started);
  if (started === undefined) {
    return fail('invalid_timestamp');
  }

  const counts = { exited: 0, errored: 0, abnormal: 0, unhandled: 0, crashed: 0 };
  for (const key of Object.keys(counts) as (keyof typeof counts)[]) {
    const count = value[key] ?? 0;
    if (
      !Number.isSafeInteger(count) ||
      (count as number) < 0 ||
      (count as number) > MAX_AGGREGATE_COUNT
    ) {
      return fail('invalid_session');
    }
    counts[key] = count as number;
  }

  const distinctId = readDistinctId(value.did);
  if (distinctId === false) {
    return fail('invalid_session');
  }
  return { ok: true as const, started, counts, distinctId };
}

function checkTime(ms: number, receivedAt: number): string | undefined {
  if (receivedAt - ms > MAX_SESSION_AGE_MS) {
    return 'past_timestamp';
  }
  if (ms - receivedAt > MAX_FUTURE_MS) {
    return 'future_timestamp';
  }
  return undefined;
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
