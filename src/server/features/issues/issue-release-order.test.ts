import { describe, expect, it } from 'vitest';

import { compareSemanticVersions, parseSemanticVersion } from './issue-release-order.js';
import { parseTagLine } from './issue-merge.js';

function compare(a: string, b: string): number {
  const left = parseSemanticVersion(a);
  const right = parseSemanticVersion(b);
  if (left === undefined || right === undefined) {
    throw new Error(`${a} or ${b} is not a semantic version`);
  }
  return Math.sign(compareSemanticVersions(left, right));
}

describe('release order', () => {
  it.each([
    ['1.2.3', '1.2.4', -1],
    ['1.10.0', '1.9.9', 1],
    ['v2.0', '2.0.0', 0],
    ['web@1.0.0', 'web@1.0.0-beta.2', 1],
    ['1.0.0-alpha', '1.0.0-beta', -1],
    ['api@3.1.4+build.7', '3.1.4', 0],
  ])('compares %s with %s', (a, b, expected) => {
    expect(compare(a, b)).toBe(expected);
  });

  it.each(['abc123', 'release-2024-05', '1', ''])('rejects non-semantic %j', (version) => {
    expect(parseSemanticVersion(version)).toBeUndefined();
  });
});

describe('tag line parsing', () => {
  it('reads pairs back', () => {
    expect(parseTagLine('\nlevel=error\nurl=https://a.example/?x=1\n')).toEqual([
      ['level', 'error'],
      ['url', 'https://a.example/?x=1'],
    ]);
  });

  it('reads no tags from null', () => {
    expect(parseTagLine(null)).toEqual([]);
  });
});
