import { createHmac } from 'node:crypto';

import { z } from 'zod';

import type { Mailer } from '../../platform/mail/mailer.js';
import { OutboundError, safeFetch, type OutboundAllowList } from '../../platform/outbound/index.js';
import type { ClaimedDelivery, DeliveryOutcome } from './delivery-store.js';

export interface SendOptions {
  allow: OutboundAllowList;
  /** Undefined when SMTP is not configured. */
  mailer: Mailer | undefined;
  /** Opens a webhook's sealed signing secret. @throws when it cannot be opened. */
  openSigningSecret: (sealed: string, projectId: number) => string;
  /** Texts to blank out of error messages, such as the SMTP password. */
  secrets: readonly string[];
  timeoutMs: number;
  signal: AbortSignal;
  now: number;
}

const emailPayloadSchema = z.object({ subject: z.string(), text: z.string(), html: z.string() });

// Retry-After may ask for more; longer waits are cut to this.
const MAX_RETRY_AFTER_MS = 30 * 60_000;
const MAX_ERROR_LENGTH = 500;

/** Sends one claimed delivery by its channel and returns what came of it. */
export function sendDelivery(
  delivery: ClaimedDelivery,
  options: SendOptions,
): Promise<DeliveryOutcome> {
  return delivery.channel === 'email' ? sendEmail(delivery, options) : sendHttp(delivery, options);
}

async function sendEmail(
  delivery: ClaimedDelivery,
  options: SendOptions,
): Promise<DeliveryOutcome> {
  if (options.mailer === undefined) {
    return failed('SMTP is not configured (PICKET_SMTP_URL)');
  }
  const payload = emailPayloadSchema.safeParse(parseJson(delivery.payload));
  if (!payload.success) {
    return failed('invalid e-mail payload: expected {subject, text, html}');
  }

  try {
    await options.mailer.send({ to: delivery.target, ...payload.data });
    return { result: 'sent', responseStatus: null };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    // A 5xx reply (unknown mailbox, message refused) comes back the same on every try, so it
    // fails at once; 4xx replies and connection errors are worth another attempt.
    const code = (error as { responseCode?: unknown }).responseCode;
    const permanent = typeof code === 'number' && code >= 500 && code < 600;
    return {
      result: permanent ? 'failed' : 'retry',
      error: cleanError(`SMTP: ${message}`, options.secrets),
      responseStatus: null,
    };
  }
}

async function sendHttp(delivery: ClaimedDelivery, options: SendOptions): Promise<DeliveryOutcome> {
  let headers: Record<string, string>;
  try {
    headers = requestHeaders(delivery, options);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return failed(`the signing secret cannot be opened: ${message}`);
  }

  try {
    const response = await safeFetch(
      { url: delivery.target, method: 'POST', headers, body: delivery.payload },
      { allow: options.allow, timeoutMs: options.timeoutMs, signal: options.signal },
    );
    return httpOutcome(response.status, response.excerpt, response.headers['retry-after'], options);
  } catch (error) {
    if (!(error instanceof OutboundError)) {
      throw error;
    }
    if (error.kind === 'aborted') {
      return { result: 'interrupted' };
    }
    const message = cleanError(error.message, options.secrets);
    return error.retryable
      ? { result: 'retry', error: message, responseStatus: null }
      : failed(message);
  }
}

/**
 * Builds the request headers. Webhooks name the delivery and, when a secret is set, carry
 * `X-Picket-Signature: sha256=<hex HMAC-SHA256(secret, "<timestamp>.<body>")>`.
 */
function requestHeaders(delivery: ClaimedDelivery, options: SendOptions): Record<string, string> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    'User-Agent': 'Picket-Webhooks/1',
  };
  if (delivery.channel !== 'webhook') {
    return headers;
  }

  const timestamp = String(Math.floor(options.now / 1_000));
  headers['X-Picket-Delivery'] = String(delivery.id);
  headers['X-Picket-Timestamp'] = timestamp;
  if (delivery.signingSecret !== null) {
    if (delivery.projectId === null) {
      throw new Error('a signed delivery needs a project');
    }
    const secret = options.openSigningSecret(delivery.signingSecret, delivery.projectId);
    const signature = createHmac('sha256', secret)
      .update(`${timestamp}.${delivery.payload}`)
      .digest('hex');
    headers['X-Picket-Signature'] = `sha256=${signature}`;
  }
  return headers;
}

/** 2xx is sent; 408, 429 and 5xx retry; any other status fails at once. */
function httpOutcome(
  status: number,
  excerpt: string,
  retryAfter: string | undefined,
  options: SendOptions,
): DeliveryOutcome {
  if (status >= 200 && status < 300) {
    return { result: 'sent', responseStatus: status };
  }
  const error = cleanError(excerpt === '' ? `HTTP ${status}` : `HTTP ${status}: ${excerpt}`, []);
  if (status === 408 || status === 429 || status >= 500) {
    const retryAfterMs = parseRetryAfter(retryAfter, options.now);
    return {
      result: 'retry',
      error,
      responseStatus: status,
      ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
    };
  }
  return { result: 'failed', error, responseStatus: status };
}

/** Reads `Retry-After` as seconds or an HTTP date, capped at 30 minutes. */
export function parseRetryAfter(value: string | undefined, now: number): number | undefined {
  if (value === undefined || value.trim() === '') {
    return undefined;
  }
  const trimmed = value.trim();
  // An HTTP date names its weekday and month, so text without letters is no date.
  const delayMs = /^\d+$/.test(trimmed)
    ? Number(trimmed) * 1_000
    : /[a-z]/i.test(trimmed)
      ? Date.parse(trimmed) - now
      : Number.NaN;
  if (Number.isNaN(delayMs)) {
    return undefined;
  }
  return Math.min(Math.max(delayMs, 0), MAX_RETRY_AFTER_MS);
}

function failed(error: string): DeliveryOutcome {
  return { result: 'failed', error, responseStatus: null };
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    return undefined;
  }
}

function cleanError(message: string, secrets: readonly string[]): string {
  let cleaned = message.replace(/[\p{Cc}\p{Cf}]+/gu, ' ');
  for (const secret of secrets) {
    if (secret !== '') {
      cleaned = cleaned.replaceAll(secret, '***');
    }
  }
  return cleaned.length > MAX_ERROR_LENGTH ? `${cleaned.slice(0, MAX_ERROR_LENGTH)}...` : cleaned;
}
