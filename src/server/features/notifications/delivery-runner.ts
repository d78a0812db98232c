import type { Config } from '../../platform/config.js';
import { openSecretBox, type SecretBox } from '../../platform/crypto/secret-box.js';
import type { Db } from '../../platform/db/index.js';
import type { Logger } from '../../platform/logger.js';
import { createMailer, type Mailer } from '../../platform/mail/mailer.js';
import { DEFAULT_TIMEOUT_MS, OutboundAllowList } from '../../platform/outbound/index.js';
import { webhookSecretContext } from '../secrets/index.js';
import { describeTarget } from './deliveries.js';
import { sendDelivery, type SendOptions } from './delivery-send.js';
import {
  claimDueDeliveries,
  recordOutcome,
  type ClaimedDelivery,
  type DeliveryOutcome,
} from './delivery-store.js';

export type DeliveryRunnerConfig = Pick<
  Config,
  | 'outboundAllow'
  | 'smtpUrl'
  | 'smtpFrom'
  | 'publicUrl'
  | 'secretKey'
  | 'previousSecretKeys'
  | 'dataDir'
>;

export interface DeliveryRunnerOptions {
  db: Db;
  config: DeliveryRunnerConfig;
  log: Logger;
  /** Replaces the mailer made from `config.smtpUrl`, for tests. */
  mailer?: Mailer;
  /** Delay before attempt 2, 3, 4 and 5. */
  backoffMs?: readonly number[];
  maxAttempts?: number;
  pollIntervalMs?: number;
  /** Deliveries sent at the same time. */
  concurrency?: number;
  /** How long a claimed row stays with this loop before another may take it. */
  claimMs?: number;
  /** Time for one HTTP attempt, redirects included. */
  timeoutMs?: number;
  /** Called after each attempt, for metrics. */
  onResult?: (channel: string, result: 'sent' | 'retry' | 'failed') => void;
}

export const DEFAULT_BACKOFF_MS = [10_000, 60_000, 5 * 60_000, 30 * 60_000] as const;
const DEFAULT_MAX_ATTEMPTS = 5;
const DEFAULT_POLL_INTERVAL_MS = 1_000;
const DEFAULT_CONCURRENCY = 8;
// Longer than any one attempt: an HTTP attempt stops after 10 s, and the mailer's connection,
// greeting and socket timeouts add up to under a minute per message.
const DEFAULT_CLAIM_MS = 5 * 60_000;

/**
 * The loop that sends the outbox (`notification_deliveries`): it claims due rows about once a
 * second, sends up to `concurrency` of them at a time, and stores each outcome. Failures that may
 * pass (network errors, timeouts, 408, 429, 5xx, SMTP errors) are retried with backoff, up to
 * five attempts in all. Every worker process runs one, and claims keep them from sending the same
 * row twice, unless a sender outlives its claim.
 */
export class DeliveryRunner {
  readonly #options: DeliveryRunnerOptions;
  readonly #allow: OutboundAllowList;
  readonly #mailer: Mailer | undefined;
  readonly #secrets: string[];
  readonly #stopController = new AbortController();
  readonly #inFlight = new Set<Promise<void>>();
  #secretBox: SecretBox | undefined;
  #loop: Promise<void> | undefined;
  #wake: (() => void) | undefined;

  constructor(options: DeliveryRunnerOptions) {
    this.#options = options;
    this.#allow = new OutboundAllowList(options.config.outboundAllow);
    this.#mailer = options.mailer ?? createMailer(options.config);
    this.#secrets = smtpSecrets(options.config.smtpUrl);
  }

  /** Starts the loop in the background. */
  start(): void {
    this.#loop ??= this.#run();
  }

  /**
   * Stops the loop. HTTP attempts in flight are cut off and their rows are due again at once,
   * without the attempt counting; e-mails in flight are waited for.
   */
  async stop(): Promise<void> {
    this.#stopController.abort();
    this.#wake?.();
    await this.#loop;
    await Promise.all(this.#inFlight);
  }

  /** Claims up to `concurrency` due rows, sends them and returns how many it claimed. */
  async runOnce(): Promise<number> {
    const claimed = await this.#claim(this.#concurrency);
    await Promise.all(claimed.map((delivery) => this.#deliver(delivery)));
    return claimed.length;
  }

  get #concurrency(): number {
    return this.#options.concurrency ?? DEFAULT_CONCURRENCY;
  }

  async #run(): Promise<void> {
    const signal = this.#stopController.signal;
    while (!signal.aborted) {
      const free = this.#concurrency - this.#inFlight.size;
      let claimed = 0;
      if (free > 0) {
        try {
          claimed = await this.#startDue(free);
        } catch (error) {
          this.#options.log.error({ err: error }, 'claiming notification deliveries failed');
        }
      }

      // A full claim may mean more rows are due, so the loop goes on as soon as a slot is free.
      if (free > 0 && claimed === free) {
        continue;
      }
      if (free === 0) {
        await Promise.race(this.#inFlight);
      } else {
        await this.#sleep(this.#options.pollIntervalMs ?? DEFAULT_POLL_INTERVAL_MS);
      }
    }
  }

  async #startDue(limit: number): Promise<number> {
    const claimed = await this.#claim(limit);
    for (const delivery of claimed) {
      const running = this.#deliver(delivery).finally(() => {
        this.#inFlight.delete(running);
      });
      this.#inFlight.add(running);
    }
    return claimed.length;
  }

  #claim(limit: number): Promise<ClaimedDelivery[]> {
    return claimDueDeliveries(this.#options.db, {
      now: Date.now(),
      claimMs: this.#options.claimMs ?? DEFAULT_CLAIM_MS,
      limit,
    });
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      if (this.#stopController.signal.aborted) {
        resolve();
        return;
      }
      const timer = setTimeout(resolve, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Sends one claimed row and stores the outcome; errors are logged, not thrown. */
  async #deliver(delivery: ClaimedDelivery): Promise<void> {
    const { log } = this.#options;
    const context = {
      deliveryId: delivery.id,
      channel: delivery.channel,
      target: describeTarget(delivery.channel, delivery.target),
      attempt: delivery.attempts,
    };

    try {
      const outcome = await sendDelivery(delivery, this.#sendOptions());
      const status = await recordOutcome(this.#options.db, delivery, outcome, {
        now: Date.now(),
        maxAttempts: this.#options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
        backoffMs: this.#options.backoffMs ?? DEFAULT_BACKOFF_MS,
      });
      this.#report(delivery, outcome, status, context);
    } catch (error) {
      // The row stays `sending` and is taken again when its claim runs out.
      log.error({ ...context, err: error }, 'notification delivery failed unexpectedly');
    }
  }

  #sendOptions(): SendOptions {
    return {
      allow: this.#allow,
      mailer: this.#mailer,
      openSigningSecret: (sealed, projectId) =>
        this.#openSecretBox().open(sealed, webhookSecretContext(projectId)),
      secrets: this.#secrets,
      timeoutMs: this.#options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      signal: this.#stopController.signal,
      now: Date.now(),
    };
  }

  #openSecretBox(): SecretBox {
    const { config } = this.#options;
    this.#secretBox ??= openSecretBox({
      secretKey: config.secretKey,
      previousKeys: config.previousSecretKeys,
      dataDir: config.dataDir,
    });
    return this.#secretBox;
  }

  #report(
    delivery: ClaimedDelivery,
    outcome: DeliveryOutcome,
    status: 'sent' | 'pending' | 'failed' | undefined,
    context: Record<string, unknown>,
  ): void {
    const { log, onResult } = this.#options;
    if (status === undefined) {
      log.warn(context, 'notification delivery outcome dropped, its claim ran out');
      return;
    }
    if (outcome.result === 'interrupted') {
      return;
    }

    const result = status === 'pending' ? 'retry' : status;
    onResult?.(delivery.channel, result);
    if (outcome.result === 'sent') {
      log.debug(context, 'notification delivery sent');
    } else if (status === 'pending') {
      log.warn({ ...context, error: outcome.error }, 'notification delivery failed, will retry');
    } else {
      log.error({ ...context, error: outcome.error }, 'notification delivery failed');
    }
  }
}

// The SMTP password, as written in the URL and decoded, so that no error message repeats it.
function smtpSecrets(smtpUrl: string | undefined): string[] {
  if (smtpUrl === undefined) {
    return [];
  }
  try {
    const password = new URL(smtpUrl).password;
    return password === '' ? [] : [password, decodeURIComponent(password)];
  } catch {
    return [];
  }
}
