import type { FastifyReply, FastifyRequest } from 'fastify';

import { AppError, AuthError } from '../../platform/errors.js';
import {
  formatRateLimits,
  isOriginAllowed,
  limitForDetachedCategory,
  requestOrigin,
  retryAfterSeconds,
  type BackpressureMonitor,
  type KeyControls,
  type RateLimit,
  type RateLimitDecision,
  type RateLimiter,
} from '../rate-limits/index.js';
import type { IngestAuth } from './auth.js';
import { authorizeKey, headerValue } from './ingest-kit.js';
import type { OutcomeRecorder } from './outcome-recorder.js';
import type { ProjectKeyCache } from './project-key-cache.js';

/** Item counts of a request by data category. */
export type CategoryQuantities = ReadonlyMap<string, number>;

export interface IngestGateOptions {
  keys: ProjectKeyCache;
  outcomes: OutcomeRecorder;
  /** Key and project rate limits and spike protection; without it nothing is rate limited. */
  limiter?: RateLimiter | undefined;
  /** Queue backlog and disk space checks; without it ingest never refuses for load. */
  backpressure?: BackpressureMonitor | undefined;
}

export interface IngestTarget {
  pathProjectId: number;
  auth: IngestAuth | undefined;
  /** The envelope's `dsn` header, which authenticates a request that has no auth of its own. */
  envelopeDsn?: string | undefined;
  /**
   * The request's items by data category, counted as outcomes when the whole request is
   * refused. A route that is admitted before it reads its body counts the request as one item.
   */
  quantities: CategoryQuantities;
  /**
   * False for routes that never respond with 429 (minidump, cron and OTLP logs, as in Relay).
   * They return 503 for a queue backlog instead. Default true.
   */
  allows429?: boolean | undefined;
}

/** The result of rate-limiting the items of one data category. */
export interface CategoryRateLimit {
  /** Every limit in force, to announce to the client. */
  decision: RateLimitDecision;
  /** The limit that dropped the items; undefined when they were admitted. */
  limit: RateLimit | undefined;
}

/** A request that passed the gate, with the rate-limit checks of its key. */
export interface IngestAdmission {
  projectId: number;
  /** Counts items against the key's rate limits, in the form `ingestEnvelope` takes. */
  checkRateLimits: (quantities: CategoryQuantities) => Promise<RateLimitDecision>;
  /**
   * Counts `quantity` items of one category against the key's rate limits. Items that a limit
   * drops are counted as `rate_limited` outcomes here; the caller only leaves them out. No
   * limit is returned for a quantity of 0.
   */
  limitCategory: (category: string, quantity: number) => Promise<CategoryRateLimit>;
}

const NO_LIMITS: RateLimitDecision = { limited: new Map(), active: [] };

/**
 * The checks that every ingest route makes before it stores anything: the DSN key, the key's
 * allowed domains, back-pressure and, through the returned admission, rate limits. Routes get
 * their project id only from {@link IngestGate.admit}, so none can skip a check.
 */
export class IngestGate {
  readonly #options: IngestGateOptions;

  constructor(options: IngestGateOptions) {
    this.#options = options;
  }

  /**
   * Authorizes the request's DSN key, then refuses a request whose browser origin the key does
   * not allow (403, as Relay does) or that arrives while the server is overloaded (429 or 503
   * with Retry-After). The items of a refused request are counted as outcomes with the reason.
   * @throws AuthError 401 or 403, or AppError 429 `rate_limited` or 503 `unavailable`.
   */
  async admit(request: FastifyRequest, target: IngestTarget): Promise<IngestAdmission> {
    const key = await authorizeKey(
      this.#options.keys,
      target.auth,
      target.pathProjectId,
      target.envelopeDsn,
    );

    this.#checkOrigin(request, key, target.quantities);
    this.#checkBackpressure(key.projectId, target);

    return this.#createAdmission(key);
  }

  #checkOrigin(request: FastifyRequest, key: KeyControls, quantities: CategoryQuantities): void {
    const originHeader = headerValue(request.headers.origin);
    const origin = requestOrigin(originHeader, headerValue(request.headers.referer));
    // A sandboxed frame or a file:// page sends the opaque origin "null", which only `*` allows.
    const isOpaque = originHeader === 'null' && origin === undefined;
    const allowed = isOpaque
      ? key.allowedDomains.includes('*')
      : isOriginAllowed(origin, key.allowedDomains);
    if (allowed) {
      return;
    }

    this.#countAll(key.projectId, quantities, 'invalid', 'cors');
    throw new AuthError(
      403,
      `Origin ${JSON.stringify(isOpaque ? 'null' : origin?.origin.slice(0, 100))} is not in the allowed domains of this DSN key`,
    );
  }

  #checkBackpressure(projectId: number, target: IngestTarget): void {
    const pressure = this.#options.backpressure?.check();
    if (pressure === undefined) {
      return;
    }

    this.#countAll(projectId, target.quantities, 'rate_limited', pressure.reason);
    const status = target.allows429 === false ? 503 : pressure.status;
    throw new AppError(status, status === 429 ? 'rate_limited' : 'unavailable', pressure.detail, {
      headers: { 'Retry-After': String(pressure.retryAfterSeconds) },
    });
  }

  #createAdmission(key: KeyControls): IngestAdmission {
    const { limiter, outcomes } = this.#options;
    const checkRateLimits = async (quantities: CategoryQuantities) =>
      limiter === undefined ? NO_LIMITS : limiter.check(key, quantities);

    return {
      projectId: key.projectId,
      checkRateLimits,
      limitCategory: async (category, quantity) => {
        const decision = await checkRateLimits(new Map([[category, quantity]]));
        const limit = quantity > 0 ? limitForDetachedCategory(decision, category) : undefined;
        if (limit !== undefined) {
          outcomes.record(key.projectId, 'rate_limited', limit.reason, category, quantity);
        }
        return { decision, limit };
      },
    };
  }

  #countAll(
    projectId: number,
    quantities: CategoryQuantities,
    outcome: 'invalid' | 'rate_limited',
    reason: string,
  ): void {
    for (const [category, quantity] of quantities) {
      this.#options.outcomes.record(projectId, outcome, reason, category, quantity);
    }
  }
}

/**
 * Sets `X-Sentry-Rate-Limits` while any limit is in force, on 2xx responses too, and
 * `Retry-After` when limits dropped items (`droppedBy`). Returns whether the response must be
 * 429, because Relay responds with 429 when any item was rate limited, even if others were
 * accepted.
 */
export function announceRateLimits(
  reply: FastifyReply,
  decision: RateLimitDecision | undefined,
  droppedBy: readonly RateLimit[],
): boolean {
  if (decision === undefined || decision.active.length === 0) {
    return false;
  }

  reply.header('X-Sentry-Rate-Limits', formatRateLimits(decision.active));
  if (droppedBy.length === 0) {
    return false;
  }

  reply.header('Retry-After', String(retryAfterSeconds(droppedBy)));
  return true;
}

/** Sends the 429 of a request whose items a rate limit dropped, after `announceRateLimits`. */
export function sendRateLimited(reply: FastifyReply) {
  return reply.status(429).send({
    detail: 'Picket dropped data because a rate limit was reached; see X-Sentry-Rate-Limits',
    code: 'rate_limited',
  });
}
