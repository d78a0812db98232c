import type { Logger } from '../../platform/logger.js';
import type { CounterSpec, CounterStore, MinuteHistory } from './counter-store.js';

/** Time after a failure during which the shared store is not tried again. */
export const FALLBACK_RETRY_MS = 5_000;
const WARN_INTERVAL_MS = 30_000;

/**
 * Counts in a shared store (Redis) and, while that store fails, in a store of this process.
 *
 * A rate-limit check must neither hang nor stop ingest when Redis is down. Refusing every event
 * with 503 would turn a Redis outage into an ingest outage, while the queue backlog and disk
 * checks still guard against overload. Letting everything through would drop the limits
 * silently. So each process goes on counting on its own, and a deployment with N ingest
 * processes admits up to N times a limit until Redis is back. After a failure the shared store is skipped for {@link FALLBACK_RETRY_MS}, so only one
 * check in that time waits for a timeout. The fallback is logged as a warning with the number
 * of checks it served.
 */
export class FallbackCounterStore implements CounterStore {
  readonly #shared: CounterStore;
  readonly #local: CounterStore;
  readonly #log: Logger;
  #skipUntilMs = 0;
  #lastWarnMs = 0;
  #localChecks = 0;

  constructor(shared: CounterStore, local: CounterStore, log: Logger) {
    this.#shared = shared;
    this.#local = local;
    this.#log = log;
  }

  consume(counters: readonly CounterSpec[], quantity: number, nowMs: number): Promise<number[]> {
    return this.#run((store) => store.consume(counters, quantity, nowMs));
  }

  findExhausted(counters: readonly CounterSpec[], nowMs: number): Promise<boolean[]> {
    return this.#run((store) => store.findExhausted(counters, nowMs));
  }

  readMinuteHistory(counter: string, minutes: number, nowMs: number): Promise<MinuteHistory> {
    return this.#run((store) => store.readMinuteHistory(counter, minutes, nowMs));
  }

  // The retry and warning timers use the real clock: `nowMs` of the callers is the time the
  // items are counted at, which tests set freely.
  async #run<T>(operation: (store: CounterStore) => Promise<T>): Promise<T> {
    if (Date.now() >= this.#skipUntilMs) {
      try {
        const result = await operation(this.#shared);
        if (this.#localChecks > 0) {
          this.#log.info({ localChecks: this.#localChecks }, 'shared rate-limit counters are back');
          this.#localChecks = 0;
        }
        return result;
      } catch (error) {
        this.#skipUntilMs = Date.now() + FALLBACK_RETRY_MS;
        this.#warn(error);
      }
    }

    this.#localChecks += 1;
    return operation(this.#local);
  }

  #warn(error: unknown): void {
    const now = Date.now();
    if (now - this.#lastWarnMs < WARN_INTERVAL_MS) {
      return;
    }

    this.#lastWarnMs = now;
    this.#log.warn(
      { err: error, localChecks: this.#localChecks, retryMs: FALLBACK_RETRY_MS },
      'shared rate-limit counters failed, counting in this process only',
    );
  }
}
