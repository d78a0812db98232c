import { describe, expect, it } from 'vitest';

import { crashFreeClassName, formatCrashFreeRate } from './health-format';

describe('formatCrashFreeRate', () => {
  it.each([
    [null, '—'],
    [100, '100%'],
    [75, '75%'],
    [66.66666666, '66.666%'],
    [99.9999, '99.999%'],
    [0, '0%'],
  ])('formats %s as %s', (rate, text) => {
    expect(formatCrashFreeRate(rate)).toBe(text);
  });
});

describe('crashFreeClassName', () => {
  it('colours rates by how healthy they are', () => {
    expect(crashFreeClassName(99.9)).toContain('good');
    expect(crashFreeClassName(97)).toContain('fair');
    expect(crashFreeClassName(50)).toContain('poor');
    expect(crashFreeClassName(null)).toBe('health-rate');
  });
});
