import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { ValidationError } from '../../platform/errors.js';
import {
  DEFAULT_NOTIFICATION_SETTINGS,
  type NotificationSettings,
} from '../../../shared/api/alerts.js';
import { loadNotificationSettings } from './recipients.js';

/** The body of `PUT /api/0/users/me/picket-notifications/`: any subset of the settings. */
const settingsUpdateSchema = z.strictObject({
  alerts: z.enum(['always', 'never']).optional(),
  workflow: z.enum(['always', 'subscribe_only', 'never']).optional(),
  digest: z.enum(['never', 'daily', 'weekly']).optional(),
  crons: z.enum(['always', 'never']).optional(),
  quota: z.enum(['always', 'never']).optional(),
  selfNotifications: z.boolean().optional(),
});

export type NotificationSettingsUpdate = Partial<NotificationSettings>;

/**
 * Validates a settings update.
 * @throws ValidationError with Sentry's `{field: [message]}` shape for unknown keys and values
 * that are not one of the choices.
 */
export function parseSettingsUpdate(body: unknown): NotificationSettingsUpdate {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new ValidationError(
      'Send a JSON object with the settings to change, such as {"workflow": "always"}',
    );
  }

  const parsed = settingsUpdateSchema.safeParse(body);
  if (parsed.success) {
    return parsed.data;
  }

  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const keys = issue.code === 'unrecognized_keys' ? issue.keys : [String(issue.path[0] ?? '')];
    for (const key of keys) {
      const message = issue.code === 'unrecognized_keys' ? 'Unknown setting' : choicesOf(key);
      (fields[key] ??= []).push(message);
    }
  }
  throw new ValidationError(
    `Invalid notification settings: ${Object.keys(fields).join(', ')}`,
    fields,
  );
}

function choicesOf(key: string): string {
  const shape = settingsUpdateSchema.shape as Record<string, z.ZodOptional<z.ZodType>>;
  const inner = shape[key]?.unwrap();
  if (inner instanceof z.ZodEnum) {
    return `Invalid choice: expected one of ${inner.options.map((option) => `"${String(option)}"`).join(', ')}`;
  }
  return 'Invalid value: expected true or false';
}

/** Loads one user's settings, with the defaults for what they never set. */
export async function loadUserSettings(
  db: Kysely<Database>,
  userId: number,
): Promise<NotificationSettings> {
  const settings = await loadNotificationSettings(db, [userId]);
  return settings.get(userId) ?? DEFAULT_NOTIFICATION_SETTINGS;
}

/** Stores the given settings of one user and leaves the others as they are. */
export async function saveUserSettings(
  db: Kysely<Database>,
  userId: number,
  update: NotificationSettingsUpdate,
): Promise<void> {
  const rows = Object.entries(update as Record<string, unknown>)
    .filter(([, value]) => value !== undefined)
    .map(([key, value]) => ({ userId, key, value: String(value as string | boolean) }));
  if (rows.length === 0) {
    return;
  }

  await db
    .insertInto('notificationSettings')
    .values(rows)
    .onConflict((conflict) =>
      conflict
        .columns(['userId', 'key'])
        .doUpdateSet((eb) => ({ value: eb.ref('excluded.value') })),
    )
    .execute();
}
