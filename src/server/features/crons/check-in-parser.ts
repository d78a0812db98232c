import { parseMonitorConfig, type ConfigParse } from './monitor-config.js';

/** Sentry's limits: slugs of 50 characters, environments of 64, durations that fit an int32. */
const MAX_SLUG_LENGTH = 50;
const MAX_ENVIRONMENT_LENGTH = 64;
const MAX_DURATION_MS = 2_147_483_647;
export const DEFAULT_ENVIRONMENT = 'production';

const UUID = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;
const STATUSES = new Set(['in_progress', 'ok', 'error']);

export type CheckInStatusInput = 'in_progress' | 'ok' | 'error';

export interface ParsedCheckIn {
  /** 32 lowercase hex digits, or undefined for the all-zero id ("the latest in-progress one"). */
  checkInId: string | undefined;
  monitorSlug: string;
  status: CheckInStatusInput;
  durationMs: number | null;
  environment: string;
  traceId: string | null;
  /** The parsed `monitor_config`, when the check-in carried one. */
  config: ConfigParse | undefined;
}

export type CheckInParse = { ok: true; checkIn: ParsedCheckIn } | { ok: false; reason: string };

/**
 * Validates a check-in payload from a `check_in` envelope item or the HTTP cron endpoint.
 * Rejections carry Sentry's outcome reasons: `invalid_guid` for a missing or malformed
 * `check_in_id`, `invalid_check_in` for a bad status, duration, environment type or trace id,
 * and `invalid_monitor_environment` for an environment over 64 characters.
 */
export function parseCheckIn(payload: unknown): CheckInParse {
  if (!isRecord(payload)) {
    return { ok: false, reason: 'invalid_check_in' };
  }

  const monitorSlug =
    typeof payload.monitor_slug === 'string' ? slugifyMonitorSlug(payload.monitor_slug) : '';
  if (monitorSlug === '') {
    return { ok: false, reason: 'invalid_monitor_slug' };
  }

  const rawId = payload.check_in_id;
  if (typeof rawId !== 'string' || !UUID.test(rawId)) {
    return { ok: false, reason: 'invalid_guid' };
  }
  const hexId = rawId.replaceAll('-', '').toLowerCase();

  const { status, duration, environment = null } = payload;
  if (typeof status !== 'string' || !STATUSES.has(status)) {
    return { ok: false, reason: 'invalid_check_in' };
  }

  const durationMs = readDuration(duration);
  if (durationMs === false) {
    return { ok: false, reason: 'invalid_check_in' };
  }

  if (environment !== null && typeof environment !== 'string') {
    return { ok: false, reason: 'invalid_check_in' };
  }
  const environmentName =
    environment === null || environment.trim() === '' ? DEFAULT_ENVIRONMENT : environment.trim();
  if (environmentName.length > MAX_ENVIRONMENT_LENGTH || environmentName.includes('\u0000')) {
    return { ok: false, reason: 'invalid_monitor_environment' };
  }

  const traceId = readTraceId(payload.contexts);
  if (traceId === false) {
    return { ok: false, reason: 'invalid_check_in' };
  }

  const rawConfig = payload.monitor_config;
  return {
    ok: true,
    checkIn: {
      checkInId: /^0+$/.test(hexId) ? undefined : hexId,
      monitorSlug,
      status: status as CheckInStatusInput,
      durationMs,
      environment: environmentName,
      traceId,
      config:
        rawConfig === undefined || rawConfig === null ? undefined : parseMonitorConfig(rawConfig),
    },
  };
}

/**
 * Turns a monitor slug into Sentry's form: ASCII letters, digits, `_` and `-`, lower case,
 * runs of spaces and dashes as one dash, at most 50 characters, no dash at either end.
 */
export function slugifyMonitorSlug(value: string): string {
  const ascii = value.normalize('NFKD').replace(/[\u0080-\uffff]/g, '');
  const slug = ascii
    .toLowerCase()
    .replace(/[^\w\s-]/g, '')
    .trim()
    .replace(/[-\s]+/g, '-')
    .replace(/^[-_]+|[-_]+$/g, '');
  return slug.slice(0, MAX_SLUG_LENGTH).replace(/-+$/, '');
}

/** Returns the duration in milliseconds, null when absent, or false when invalid. */
function readDuration(value: unknown): number | null | false {
  if (value === undefined || value === null) {
    return null;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    return false;
  }

  const ms = Math.trunc(value * 1000);
  return ms >= 0 && ms <= MAX_DURATION_MS ? ms : false;
}

function readTraceId(contexts: unknown): string | null | false {
  if (contexts === undefined || contexts === null) {
    return null;
  }
  if (!isRecord(contexts)) {
    return false;
  }

  const trace = contexts.trace;
  if (trace === undefined || trace === null) {
    return null;
  }
  if (!isRecord(trace) || typeof trace.trace_id !== 'string' || !UUID.test(trace.trace_id)) {
    return false;
  }
  return trace.trace_id.replaceAll('-', '').toLowerCase();
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
