import { AppError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import type { EmailPayload } from './deliveries.js';
import { renderEmail } from './email-layout.js';
import { notificationSettingsUrl } from './links.js';

/** Renders the message of the "Send a test e-mail" button. */
export function renderTestEmail(baseUrl: string, email: string): EmailPayload {
  return renderEmail({
    subject: 'Picket test e-mail',
    heading: 'Picket can send you e-mail',
    paragraphs: [
      `This test message reached ${email}, so alerts, workflow notifications and digests will too.`,
    ],
    link: { label: 'Notification settings', url: notificationSettingsUrl(baseUrl) },
    footer: 'You asked for this message with the test button of your notification settings.',
  });
}

/**
 * Sends the test message at once, not through the outbox, so the caller sees the SMTP server's
 * response.
 * @throws AppError 409 when SMTP is not configured (a setting, not an outage), 502 with the
 *   reason when sending fails.
 */
export async function sendTestEmail(
  mailer: Mailer | undefined,
  smtpUrl: string | undefined,
  message: EmailPayload & { to: string },
): Promise<void> {
  if (mailer === undefined) {
    throw new AppError(409, 'conflict', 'SMTP is not configured: set PICKET_SMTP_URL');
  }

  try {
    await mailer.send(message);
  } catch (error) {
    // The web page already shows that sending failed, so the detail is only the SMTP reason,
    // worded as in the outbox's last_error.
    throw new AppError(502, 'unavailable', `SMTP: ${describeSmtpError(error, smtpUrl)}`, {
      cause: error,
    });
  }
}

/** Returns the error's message with the SMTP URL's password and user name blanked out. */
export function describeSmtpError(error: unknown, smtpUrl: string | undefined): string {
  let message = error instanceof Error ? error.message : String(error);
  const secrets: string[] = [];
  if (smtpUrl !== undefined) {
    try {
      const url = new URL(smtpUrl);
      for (const part of [url.password, url.username]) {
        if (part !== '') {
          secrets.push(part, decodeURIComponent(part));
        }
      }
    } catch {
      // A URL that does not parse never reached the SMTP client, so it cannot be in the message.
    }
  }
  for (const secret of secrets.sort((a, b) => b.length - a.length)) {
    message = message.replaceAll(secret, '***');
  }
  // Any other credentials in a URL, such as `smtp://user:pass@host`.
  return message.replace(/\/\/[^/\s@]+@/g, '//***@');
}
