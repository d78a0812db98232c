/**
 * The seeded random numbers of a scenario and the settings of the short and long forms.
 * `npm run reliability` sets `RELIABILITY_FORM=long`; the seed comes from `RELIABILITY_SEED`
 * or the clock, and is printed so that a run can be repeated.
 */

/** A seeded generator (mulberry32): the same seed gives the same kill moments and targets. */
export class Random {
  #state: number;

  constructor(seed: number) {
    this.#state = seed >>> 0;
  }

  /** Returns a float in [0, 1). */
  next(): number {
    this.#state = (this.#state + 0x6d2b79f5) >>> 0;
    let value = this.#state;
    value = Math.imul(value ^ (value >>> 15), value | 1);
    value ^= value + Math.imul(value ^ (value >>> 7), value | 61);
    return ((value ^ (value >>> 14)) >>> 0) / 4_294_967_296;
  }

  /** Returns an integer in [0, bound). */
  integer(bound: number): number {
    return Math.floor(this.next() * bound);
  }

  /** Returns an integer in [min, max]. */
  between(min: number, max: number): number {
    return min + this.integer(max - min + 1);
  }
}

export const IS_LONG_FORM = process.env.RELIABILITY_FORM === 'long';

/** Reads `RELIABILITY_SEED`, or picks a seed from the clock. */
export function readSeed(): number {
  const fromEnv = process.env.RELIABILITY_SEED;
  if (fromEnv === undefined || fromEnv === '') {
    return Date.now() % 1_000_000_007;
  }
  const seed = Number(fromEnv);
  if (!Number.isSafeInteger(seed) || seed < 0) {
    throw new Error(`RELIABILITY_SEED must be a non-negative integer, got "${fromEnv}"`);
  }
  return seed;
}
