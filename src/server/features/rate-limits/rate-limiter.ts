import type { CounterStore } from './counter-store.js';
import {
  createKeyQuota,
  createProjectQuota,
  toRateLimit,
  type Quota,
  type RateLimit,
  type RateLimitSetting,
} from './quotas.js';
import { mergeRateLimits } from './rate-limit-header.js';
import {
  computeSpikeThresholds,
  createSpikeQuotas,
  type SpikeProtectionOptions,
  type SpikeThreshold,
} from './spike-protection.js';

/** The ingest settings of a DSN key and its project, as the key cache loads them. */
export interface KeyControls {
  keyId: number;
  projectId: number;
  rateLimit: RateLimitSetting | null;
  /** Origin patterns browsers may send from; see `allowed-domains.ts`. */
  allowedDomains: readonly string[];
  projectRateLimit: RateLimitSetting | null;
  spikeProtection: boolean;
}

/** Decision of the limiter for one request. */
export interface RateLimitDecision {
  /** The limit that rejected each data category of the request. */
  limited: ReadonlyMap<string, RateLimit>;
  /** Every limit in force for the key and its project, to announce to the client. */
  active: readonly RateLimit[];
}

/** Spike protection as the project API reports it. */
export interface SpikeProtectionStatus {
  enabled: boolean;
  /** Whether spike protection dropped items of the project in the last two minutes. */
  active: boolean;
  /** Time of the last item dropped by spike protection, in epoch milliseconds. */
  lastThrottledAt: number | null;
  groups: SpikeThreshold[];
}

// Attachments are dropped with the event they belong to, as Relay does.
const CATEGORY_FOLLOWS: Readonly<Record<string, string>> = { attachment: 'error' };
const ACTIVE_AFTER_THROTTLE_MS = 120_000;
const MAX_TRACKED_PROJECTS = 10_000;

/** Returns the limit that drops items of a data category, if any. */
export function limitForCategory(
  decision: RateLimitDecision,
  category: string,
): RateLimit | undefined {
  const followed = CATEGORY_FOLLOWS[category];
  return (
    decision.limited.get(category) ??
    (followed === undefined ? undefined : decision.limited.get(followed))
  );
}

/**
 * Returns the limit that drops items of a data category sent without the items they follow,
 * such as attachments uploaded after their event: the category's own limit, else a limit in
 * force on the followed category. Attachments of an event that the key's error quota rejects
 * are dropped as well, whichever request carries them.
 */
export function limitForDetachedCategory(
  decision: RateLimitDecision,
  category: string,
): RateLimit | undefined {
  const followed = CATEGORY_FOLLOWS[category];
  return (
    limitForCategory(decision, category) ??
    (followed === undefined
      ? undefined
      : decision.active.find((limit) => limit.categories.includes(followed)))
  );
}

/**
 * Enforces key quotas, project quotas and spike protection at ingest. Counting happens in a
 * {@link CounterStore}; spike thresholds are recomputed once a minute per project.
 */
export class RateLimiter {
  readonly #store: CounterStore;
  readonly #spike: SpikeProtectionOptions;
  readonly #thresholds = new Map<number, { minute: number; thresholds: SpikeThreshold[] }>();
  readonly #lastThrottledAt = new Map<number, number>();

  constructor(store: CounterStore, spike: SpikeProtectionOptions) {
    this.#store = store;
    this.#spike = spike;
  }

  /**
   * Counts the items of a request (`quantities` by data category) against the key's quotas.
   * Items of a category are admitted only when every quota that covers it has room for all of
   * them. Otherwise none is counted and the category is returned as limited.
   */
  async check(
    controls: KeyControls,
    quantities: ReadonlyMap<string, number>,
    nowMs = Date.now(),
  ): Promise<RateLimitDecision> {
    const quotas = await this.#quotasOf(controls, nowMs);
    const limited = new Map<string, RateLimit>();

    for (const [category, quantity] of quantities) {
      const applicable = quotas.filter((quota) => quota.categories.includes(category));
      if (applicable.length === 0 || quantity <= 0) {
        continue;
      }

      const rejected = await this.#store.consume(applicable, quantity, nowMs);
      const limits = rejected.flatMap((index) => {
        const quota = applicable[index];
        return quota === undefined ? [] : [toRateLimit(quota, nowMs)];
      });
      const longest = limits.sort((a, b) => b.retryAfterSeconds - a.retryAfterSeconds)[0];
      if (longest !== undefined) {
        limited.set(category, longest);
        if (longest.reason === 'spike_protection') {
          this.#noteThrottled(controls.projectId, nowMs);
        }
      }
    }

    const exhausted = await this.#store.findExhausted(quotas, nowMs);
    const active = quotas.flatMap((quota, index) =>
      exhausted[index] === true ? [toRateLimit(quota, nowMs)] : [],
    );

    return { limited, active: mergeRateLimits([...active, ...limited.values()]) };
  }

  /** Reports spike protection of a project: thresholds, and whether it is throttling now. */
  async readSpikeStatus(
    projectId: number,
    enabled: boolean,
    nowMs = Date.now(),
  ): Promise<SpikeProtectionStatus> {
    const lastThrottledAt = this.#lastThrottledAt.get(projectId) ?? null;
    return {
      enabled,
      active:
        enabled && lastThrottledAt !== null && nowMs - lastThrottledAt < ACTIVE_AFTER_THROTTLE_MS,
      lastThrottledAt,
      groups: enabled ? await this.#thresholdsOf(projectId, nowMs) : [],
    };
  }

  async #quotasOf(controls: KeyControls, nowMs: number): Promise<Quota[]> {
    const quotas: Quota[] = [];
    const keyQuota = createKeyQuota(controls.keyId, controls.rateLimit);
    const projectQuota = createProjectQuota(controls.projectId, controls.projectRateLimit);

    if (keyQuota !== undefined) {
      quotas.push(keyQuota);
    }
    if (projectQuota !== undefined) {
      quotas.push(projectQuota);
    }
    if (controls.spikeProtection) {
      const thresholds = await this.#thresholdsOf(controls.projectId, nowMs);
      quotas.push(...createSpikeQuotas(controls.projectId, thresholds));
    }

    return quotas;
  }

  async #thresholdsOf(projectId: number, nowMs: number): Promise<SpikeThreshold[]> {
    const minute = Math.floor(nowMs / 60_000);
    const cached = this.#thresholds.get(projectId);
    if (cached?.minute === minute) {
      return cached.thresholds;
    }

    const thresholds = await computeSpikeThresholds(this.#store, projectId, this.#spike, nowMs);
    if (this.#thresholds.size >= MAX_TRACKED_PROJECTS) {
      this.#thresholds.clear();
    }
    this.#thresholds.set(projectId, { minute, thresholds });
    return thresholds;
  }

  // NOTE: each ingest process sees only the throttling it did itself.
  #noteThrottled(projectId: number, nowMs: number): void {
    if (this.#lastThrottledAt.size >= MAX_TRACKED_PROJECTS) {
      this.#lastThrottledAt.clear();
    }
    this.#lastThrottledAt.set(projectId, nowMs);
  }
}
