import type { CounterStore } from './counter-store.js';
import { ERROR_CATEGORIES, type Quota } from './quotas.js';

/** Spike protection parameters, from the server configuration. */
export interface SpikeProtectionOptions {
  /** A minute may carry this many times the baseline before the project is throttled. */
  factor: number;
  /** Items per minute always allowed, whatever the baseline, so small projects are never throttled. */
  minPerMinute: number;
  /**
   * Minutes of history a counter needs before it is enforced. Without Redis, history is kept in
   * memory, so after a restart a project is not throttled until it has this much history again.
   */
  warmupMinutes: number;
}

/** Groups of data categories that spike protection counts separately, each with its name. */
export const SPIKE_CATEGORY_GROUPS: readonly { name: string; categories: readonly string[] }[] = [
  { name: 'error', categories: ERROR_CATEGORIES },
  { name: 'transaction', categories: ['transaction'] },
  { name: 'span', categories: ['span'] },
];

// The baseline is the average of accepted items per minute over the last hour.
const BASELINE_MINUTES = 60;

/** The state of spike protection for one group of categories of a project. */
export interface SpikeThreshold {
  group: string;
  /** Accepted items per minute, averaged over up to the last hour. */
  baselinePerMinute: number;
  /** Items per minute above which the project is throttled, or null while warming up. */
  thresholdPerMinute: number | null;
}

/** Returns the counter name of a project's spike counter for one category group. */
export function spikeCounterName(projectId: number, group: string): string {
  return `spike:${projectId}:${group}`;
}

/**
 * Computes the current threshold of each category group from the per-minute history of
 * accepted items: `max(minPerMinute, ceil(baseline × factor))`.
 */
export async function computeSpikeThresholds(
  store: CounterStore,
  projectId: number,
  options: SpikeProtectionOptions,
  nowMs: number,
): Promise<SpikeThreshold[]> {
  return Promise.all(
    SPIKE_CATEGORY_GROUPS.map(async (group) => {
      const history = await store.readMinuteHistory(
        spikeCounterName(projectId, group.name),
        BASELINE_MINUTES,
        nowMs,
      );
      const minutes = Math.min(BASELINE_MINUTES, history.observedMinutes);
      const sum = history.totals.reduce((total, value) => total + value, 0);
      const baselinePerMinute = minutes === 0 ? 0 : sum / minutes;
      const isWarm = history.observedMinutes >= options.warmupMinutes;

      return {
        group: group.name,
        baselinePerMinute,
        thresholdPerMinute: isWarm
          ? Math.max(options.minPerMinute, Math.ceil(baselinePerMinute * options.factor))
          : null,
      };
    }),
  );
}

/**
 * Builds the spike quotas of a project: one per category group, counted per minute. A group
 * still warming up gets a quota without a limit, so its history is still recorded.
 */
export function createSpikeQuotas(projectId: number, thresholds: SpikeThreshold[]): Quota[] {
  return SPIKE_CATEGORY_GROUPS.map((group) => {
    const threshold = thresholds.find((candidate) => candidate.group === group.name);
    return {
      counter: spikeCounterName(projectId, group.name),
      categories: group.categories,
      scope: 'project',
      reason: 'spike_protection',
      limit: threshold?.thresholdPerMinute ?? Number.POSITIVE_INFINITY,
      windowSeconds: 60,
      offsetSeconds: 0,
      keepHistory: true,
    };
  });
}
