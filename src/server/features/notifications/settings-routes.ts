import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';

import type { Config } from '../../platform/config.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, AuthError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { requireAuth, type AccountContext, type RequestAuth } from '../accounts/index.js';
import { notificationBaseUrl } from './links.js';
import { loadUserSettings, parseSettingsUpdate, saveUserSettings } from './settings-store.js';
import { renderTestEmail, sendTestEmail } from './settings-test-email.js';

export interface NotificationSettingsRouteOptions {
  db: Kysely<Database>;
  config: Pick<Config, 'publicUrl' | 'host' | 'port' | 'tls' | 'smtpUrl'>;
  /** Undefined when `PICKET_SMTP_URL` is not set. */
  mailer: Mailer | undefined;
  /** Counts test e-mails per user, shared by every process on the database. */
  throttle: AccountContext['throttle'];
}

/** Test e-mails per user per minute, so the button cannot be used to flood a mailbox. */
export const TEST_EMAIL_LIMIT = { limit: 5, windowMs: 60_000 } as const;

/**
 * Returns the user of a session or a personal API token. An organization token acts for an
 * organization, not for a person, so it has no notification settings.
 */
function requireUser(request: FastifyRequest): RequestAuth {
  const auth = requireAuth(request);
  if (auth.tokenOrganizationId !== undefined) {
    throw new AuthError(403, 'Organization tokens have no user: use a session or a personal token');
  }
  return auth;
}

/** Registers the caller's notification settings and the test e-mail button. */
export function registerNotificationSettingsRoutes(
  app: FastifyInstance,
  options: NotificationSettingsRouteOptions,
): void {
  const { db } = options;

  app.get('/api/0/users/me/picket-notifications/', async (request) => {
    const auth = requireUser(request);
    return loadUserSettings(db, auth.user.id);
  });

  app.put('/api/0/users/me/picket-notifications/', async (request) => {
    const auth = requireUser(request);
    const update = parseSettingsUpdate(request.body);
    await saveUserSettings(db, auth.user.id, update);
    return loadUserSettings(db, auth.user.id);
  });

  app.post('/api/0/users/me/picket-test-email/', async (request) => {
    const auth = requireUser(request);
    const counted = await options.throttle.hit({
      key: `test-email:user:${auth.user.id}`,
      ...TEST_EMAIL_LIMIT,
    });
    if (!counted.allowed) {
      throw new AppError(
        429,
        'rate_limited',
        `Too many test e-mails: at most ${TEST_EMAIL_LIMIT.limit} a minute, try again later`,
        { headers: { 'Retry-After': String(counted.retryAfterSeconds) } },
      );
    }

    const to = auth.user.email;
    const payload = renderTestEmail(notificationBaseUrl(options.config), to);
    await sendTestEmail(options.mailer, options.config.smtpUrl, { to, ...payload });
    request.log.info({ userId: auth.user.id }, 'test e-mail sent');
    return { sent: true, to };
  });
}
