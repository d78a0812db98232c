import type { AddressInfo } from 'node:net';

import { SMTPServer } from 'smtp-server';

/** A message as the test SMTP server received it. */
export interface ReceivedMail {
  from: string;
  to: string[];
  /** Whether the session ran over TLS (STARTTLS). */
  secure: boolean;
  raw: string;
}

export interface TestSmtp {
  port: number;
  /** `PICKET_SMTP_URL` for this server; its certificate is self-signed, so it is not verified. */
  url: string;
  received: ReceivedMail[];
  close(): Promise<void>;
}

export interface SmtpOptions {
  /** Offer STARTTLS (default); without it the session stays in plain text. */
  starttls?: boolean;
  /** Refuse every message with `552 Mailbox full`, a permanent failure. */
  reject?: boolean;
}

/**
 * Starts a real SMTP server on 127.0.0.1 that keeps every message it receives. It accepts any
 * user name and password, so a client's credentials can be checked for leaks.
 */
export async function startSmtp(options: SmtpOptions = {}): Promise<TestSmtp> {
  const received: ReceivedMail[] = [];
  const server = new SMTPServer({
    authOptional: true,
    allowInsecureAuth: true,
    hideSTARTTLS: options.starttls === false,
    logger: false,
    onAuth(auth, _session, callback) {
      callback(null, { user: auth.username });
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (chunk: Buffer) => chunks.push(chunk));
      stream.on('end', () => {
        if (options.reject === true) {
          callback(Object.assign(new Error('Mailbox full'), { responseCode: 552 }));
          return;
        }
        received.push({
          from: session.envelope.mailFrom === false ? '' : session.envelope.mailFrom.address,
          to: session.envelope.rcptTo.map((address) => address.address),
          secure: session.secure,
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.server.address() as AddressInfo).port;
  return {
    port,
    url: `smtp://127.0.0.1:${port}/?tls.rejectUnauthorized=false`,
    received,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** Undoes quoted-printable soft line breaks and escapes, which nodemailer uses for long lines. */
export function decodeQuotedPrintable(text: string): string {
  return text
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
}
