import type { Transporter } from 'nodemailer';

/** One e-mail with a plain-text part and an HTML part; callers escape values in `html`. */
export interface MailMessage {
  to: string;
  subject: string;
  text: string;
  html: string;
}

export interface Mailer {
  /** Sends a message. @throws Error when the SMTP server rejects it or cannot be reached. */
  send(message: MailMessage): Promise<void>;
}

export interface MailerConfig {
  smtpUrl: string | undefined;
  smtpFrom: string | undefined;
  publicUrl: string | undefined;
}

// A request that sends mail waits for it, so a dead SMTP server must fail in seconds, not the
// two minutes of nodemailer's defaults.
const CONNECTION_TIMEOUT_MS = 10_000;
const SOCKET_TIMEOUT_MS = 30_000;

/**
 * Creates a mailer for `PICKET_SMTP_URL`, or returns undefined when SMTP is not configured.
 * `smtp://` upgrades to TLS with STARTTLS whenever the server offers it, and `smtps://` uses
 * TLS from the start. Query parameters of the URL, such as `tls.rejectUnauthorized=false`,
 * become nodemailer options.
 */
export function createMailer(config: MailerConfig): Mailer | undefined {
  if (config.smtpUrl === undefined) {
    return undefined;
  }

  const smtpUrl = config.smtpUrl;
  const from = config.smtpFrom ?? defaultSender(config.publicUrl);
  let transport: Transporter | undefined;

  return {
    async send(message) {
      // nodemailer loads on the first message, so a server that sends none does not carry it.
      if (transport === undefined) {
        const { default: nodemailer } = await import('nodemailer');
        transport = nodemailer.createTransport({
          url: smtpUrl,
          connectionTimeout: CONNECTION_TIMEOUT_MS,
          greetingTimeout: CONNECTION_TIMEOUT_MS,
          socketTimeout: SOCKET_TIMEOUT_MS,
        });
      }
      await transport.sendMail({ from, ...message });
    },
  };
}

function defaultSender(publicUrl: string | undefined): string {
  const host = publicUrl === undefined ? 'localhost' : new URL(publicUrl).hostname;
  return `picket@${host}`;
}

/** Escapes text for an HTML element or a double-quoted attribute. */
export function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;')
    .replaceAll("'", '&#39;');
}
