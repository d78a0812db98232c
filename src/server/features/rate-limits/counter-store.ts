import { windowStart, type Quota } from './quotas.js';

/** The part of a quota that the counter store needs. */
export type CounterSpec = Pick<
  Quota,
  'counter' | 'limit' | 'windowSeconds' | 'offsetSeconds' | 'keepHistory'
>;

/** Per-minute totals of a counter that keeps history. */
export interface MinuteHistory {
  /** Totals of the complete minutes before now, oldest first, at most the number asked for. */
  totals: number[];
  /** Complete minutes since the counter was first used. */
  observedMinutes: number;
}

/**
 * Counters of items per fixed time window, shared by the ingest processes that enforce the
 * same quotas. The embedded mode keeps them in memory ({@link MemoryCounterStore}); a store
 * shared by several processes (Redis) implements the same interface.
 */
export interface CounterStore {
  /**
   * Adds `quantity` to the current window of every counter, unless that would take one of
   * them past its limit: then nothing is added, those counters are marked as exhausted for
   * the rest of their window, and their indexes are returned. Returns an empty list when the
   * quantity was added.
   */
  consume(counters: readonly CounterSpec[], quantity: number, nowMs: number): Promise<number[]>;
  /** Returns, for each counter, whether it rejected something in its current window. */
  findExhausted(counters: readonly CounterSpec[], nowMs: number): Promise<boolean[]>;
  /** Returns up to `minutes` per-minute totals of a counter that keeps history. */
  readMinuteHistory(counter: string, minutes: number, nowMs: number): Promise<MinuteHistory>;
}

interface CounterState {
  windowStartMs: number;
  count: number;
  exhausted: boolean;
  lastUsedMs: number;
  /** Totals of finished one-minute windows, oldest first, for counters that keep history. */
  history?: number[];
  firstWindowStartMs: number;
}

const MINUTE_MS = 60_000;
const MAX_HISTORY_MINUTES = 60;
const SWEEP_INTERVAL_MS = 60_000;
// Counters unused for this long are dropped; history older than an hour is never read.
const IDLE_TTL_MS = 2 * 3_600_000;

/**
 * Keeps counters in this process's memory. Enough for the embedded mode, where one process
 * runs ingest; several ingest processes would each count on their own.
 */
export class MemoryCounterStore implements CounterStore {
  readonly #counters = new Map<string, CounterState>();
  #lastSweepMs = 0;

  consume(counters: readonly CounterSpec[], quantity: number, nowMs: number): Promise<number[]> {
    this.#sweep(nowMs);
    const states = counters.map((spec) => this.#current(spec, nowMs));
    const rejected: number[] = [];

    states.forEach((state, index) => {
      const spec = counters[index];
      if (spec !== undefined && state.count + quantity > spec.limit) {
        rejected.push(index);
      }
    });

    for (const [index, state] of states.entries()) {
      state.lastUsedMs = nowMs;
      if (rejected.length === 0) {
        state.count += quantity;
      } else if (rejected.includes(index)) {
        state.exhausted = true;
      }
    }

    return Promise.resolve(rejected);
  }

  findExhausted(counters: readonly CounterSpec[], nowMs: number): Promise<boolean[]> {
    return Promise.resolve(
      counters.map((spec) => {
        const state = this.#counters.get(spec.counter);
        return (
          state !== undefined && state.exhausted && state.windowStartMs === windowStart(spec, nowMs)
        );
      }),
    );
  }

  readMinuteHistory(counter: string, minutes: number, nowMs: number): Promise<MinuteHistory> {
    const state = this.#counters.get(counter);
    if (state?.history === undefined) {
      return Promise.resolve({ totals: [], observedMinutes: 0 });
    }

    const currentStartMs = Math.floor(nowMs / MINUTE_MS) * MINUTE_MS;
    const totals = [...state.history];
    // Minutes that passed since the counter's last window count as zero.
    if (state.windowStartMs < currentStartMs) {
      totals.push(state.count);
      const idleMinutes = (currentStartMs - state.windowStartMs) / MINUTE_MS - 1;
      totals.push(...new Array<number>(Math.min(idleMinutes, MAX_HISTORY_MINUTES)).fill(0));
    }

    return Promise.resolve({
      totals: totals.slice(-minutes),
      observedMinutes: Math.floor((currentStartMs - state.firstWindowStartMs) / MINUTE_MS),
    });
  }

  /** Returns the counter's state for the window that contains `nowMs`, rolling it over. */
  #current(spec: CounterSpec, nowMs: number): CounterState {
    const startMs = windowStart(spec, nowMs);
    const state = this.#counters.get(spec.counter);

    if (state === undefined) {
      const created: CounterState = {
        windowStartMs: startMs,
        count: 0,
        exhausted: false,
        lastUsedMs: nowMs,
        firstWindowStartMs: startMs,
        ...(spec.keepHistory === true ? { history: [] } : {}),
      };
      this.#counters.set(spec.counter, created);
      return created;
    }

    if (state.windowStartMs !== startMs) {
      if (state.history !== undefined) {
        appendHistory(state, startMs);
      }
      state.windowStartMs = startMs;
      state.count = 0;
      state.exhausted = false;
    }

    return state;
  }

  #sweep(nowMs: number): void {
    if (nowMs - this.#lastSweepMs < SWEEP_INTERVAL_MS) {
      return;
    }

    this.#lastSweepMs = nowMs;
    for (const [name, state] of this.#counters) {
      if (nowMs - state.lastUsedMs > IDLE_TTL_MS) {
        this.#counters.delete(name);
      }
    }
  }
}

/** Moves the finished minute's total into the history, with zeros for minutes without data. */
function appendHistory(state: CounterState, nextStartMs: number): void {
  const history = state.history ?? [];
  const skippedMinutes = Math.min(
    MAX_HISTORY_MINUTES,
    (nextStartMs - state.windowStartMs) / MINUTE_MS - 1,
  );

  history.push(state.count);
  for (let minute = 0; minute < skippedMinutes; minute += 1) {
    history.push(0);
  }
  if (history.length > MAX_HISTORY_MINUTES) {
    history.splice(0, history.length - MAX_HISTORY_MINUTES);
  }
  state.history = history;
}
