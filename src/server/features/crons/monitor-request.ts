import { z } from 'zod';

import type { MonitorConfig } from '../../../shared/api/crons.js';
import { ValidationError } from '../../platform/errors.js';
import { slugifyMonitorSlug } from './check-in-parser.js';
import { createConfig, parseMonitorConfig } from './monitor-config.js';

/** Sentry's limit on monitor names. `slugifyMonitorSlug` cuts slugs to 50 characters. */
const MAX_NAME_LENGTH = 128;

/** A validated `POST /api/0/organizations/{org}/monitors/` body. */
export interface MonitorCreate {
  name: string;
  /** The requested slug in Sentry's form, or undefined to derive one from the name. */
  slug: string | undefined;
  /** The project's slug or numeric id as sent. */
  project: string;
  status: 'active' | 'disabled';
  isMuted: boolean;
  config: MonitorConfig;
}

/** The fields of a `PUT` body that change the monitor; absent fields stay as they are. */
export interface MonitorUpdate {
  name?: string;
  slug?: string;
  status?: 'active' | 'disabled';
  isMuted?: boolean;
  config?: MonitorConfig;
}

// Sentry reads request bodies in camelCase or snake_case, so both spellings are accepted.
const bodySchema = z.object({
  name: z.string().trim().min(1).max(MAX_NAME_LENGTH).optional(),
  slug: z.string().optional(),
  project: z.union([z.string().trim().min(1), z.number().int().nonnegative()]).optional(),
  type: z.literal('cron_job').optional(),
  status: z.enum(['active', 'disabled']).optional(),
  isMuted: z.boolean().optional(),
  is_muted: z.boolean().optional(),
  config: z.record(z.string(), z.unknown()).optional(),
});

type Body = z.infer<typeof bodySchema>;

/**
 * Validates a monitor creation body: a name, a project and a config with a schedule, checked
 * by the same parser as an SDK's `monitor_config`.
 * @throws ValidationError naming the first invalid field.
 */
export function parseMonitorCreate(body: unknown): MonitorCreate {
  const parsed = readBody(body);

  if (parsed.name === undefined) {
    throw fieldError('name', 'This field is required.', 'Missing monitor name');
  }
  if (parsed.project === undefined) {
    throw fieldError('project', 'This field is required.', 'Missing project: send its slug or id');
  }
  if (parsed.config === undefined) {
    throw fieldError(
      'config',
      'This field is required.',
      'Missing config: send one with a schedule',
    );
  }

  return {
    name: parsed.name,
    slug: readSlug(parsed.slug),
    project: String(parsed.project),
    status: parsed.status ?? 'active',
    isMuted: parsed.isMuted ?? parsed.is_muted ?? false,
    config: readConfig(parsed.config, undefined),
  };
}

/**
 * Validates a monitor update body against the monitor's current config. The config is partial:
 * its keys replace the current ones, and the merged config must still be valid, as in Sentry.
 * @throws ValidationError naming the first invalid field, or for a change of project.
 */
export function parseMonitorUpdate(
  body: unknown,
  current: { config: MonitorConfig; projectId: number; projectSlug: string },
): MonitorUpdate {
  const parsed = readBody(body);
  const project = parsed.project === undefined ? undefined : String(parsed.project);

  if (
    project !== undefined &&
    project !== String(current.projectId) &&
    project !== current.projectSlug
  ) {
    throw fieldError(
      'project',
      'Existing monitors may not be moved between projects.',
      'Existing monitors may not be moved between projects',
    );
  }

  const update: MonitorUpdate = {};
  const isMuted = parsed.isMuted ?? parsed.is_muted;
  if (parsed.name !== undefined) {
    update.name = parsed.name;
  }
  if (parsed.slug !== undefined) {
    update.slug = readSlug(parsed.slug);
  }
  if (parsed.status !== undefined) {
    update.status = parsed.status;
  }
  if (isMuted !== undefined) {
    update.isMuted = isMuted;
  }
  if (parsed.config !== undefined) {
    update.config = readConfig(parsed.config, current.config);
  }
  return update;
}

function readBody(body: unknown): Body {
  const parsed = bodySchema.safeParse(body ?? {});
  if (parsed.success) {
    return parsed.data;
  }

  const issue = parsed.error.issues[0];
  const field = issue === undefined ? 'body' : issue.path.join('.') || 'body';
  const message = issue?.message ?? 'Invalid value';
  throw fieldError(field, message, `Invalid monitor ${field}: ${message}`);
}

/** Returns the slug in Sentry's form, or undefined for an absent or empty one. */
function readSlug(value: string | undefined): string | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }

  const slug = slugifyMonitorSlug(value);
  if (slug === '' || /^\d+$/.test(slug)) {
    throw fieldError(
      'slug',
      'Enter a valid slug of letters, numbers, underscores or hyphens. It cannot be only numbers.',
      `Invalid slug ${JSON.stringify(value.slice(0, 60))}: use letters, digits, - and _, not only digits`,
    );
  }
  return slug;
}

/** Validates a config, merged over the current one for an update. */
function readConfig(
  raw: Record<string, unknown>,
  current: MonitorConfig | undefined,
): MonitorConfig {
  // A schedule in the `{type, value}` form wins over `schedule_type` in the parser.
  const merged: Record<string, unknown> = { ...current, ...toSnakeCaseKeys(raw) };
  const parsed = parseMonitorConfig(merged);
  const config = parsed.ok ? createConfig(parsed.update) : undefined;
  if (!parsed.ok || config === undefined) {
    const message = parsed.ok ? 'Missing or invalid schedule type' : parsed.message;
    throw fieldError('config', message, `Invalid config: ${message}`);
  }
  return config;
}

function toSnakeCaseKeys(record: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(record).map(([key, value]) => [
      key.replace(/[A-Z]/g, (letter) => `_${letter.toLowerCase()}`),
      value,
    ]),
  );
}

function fieldError(field: string, fieldMessage: string, detail: string): ValidationError {
  return new ValidationError(detail, { [field]: [fieldMessage] });
}
