import { describe, expect, it } from 'vitest';

import { formatDuration } from './format-duration';

describe('formatDuration', () => {
  it.each([
    [0.4213, '0.42 ms'],
    [12.345, '12.35 ms'],
    [999.994, '999.99 ms'],
    [1200, '1.20 s'],
    [150_000, '2.5 min'],
  ])('formats %s ms as %s', (ms, text) => {
    expect(formatDuration(ms)).toBe(text);
  });

  it('shows a dash for a negative or missing duration', () => {
    expect(formatDuration(-1)).toBe('—');
    expect(formatDuration(Number.NaN)).toBe('—');
  });
});
