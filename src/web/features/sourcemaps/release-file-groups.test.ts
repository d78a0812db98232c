import { describe, expect, it } from 'vitest';

import { splitReleasesByFiles } from './release-file-groups';

describe('splitReleasesByFiles', () => {
  it('separates releases without files', () => {
    const groups = splitReleasesByFiles(['a', 'b', 'c', 'd'], [2, 0, 1, 0]);

    expect(groups.withFiles).toEqual(['a', 'c']);
    expect(groups.withoutFiles).toEqual(['b', 'd']);
  });

  it('keeps a release whose count failed to load', () => {
    const groups = splitReleasesByFiles(['a', 'b'], [null, 0]);

    expect(groups.withFiles).toEqual(['a']);
    expect(groups.withoutFiles).toEqual(['b']);
  });

  it('keeps a release without a count', () => {
    expect(splitReleasesByFiles(['a'], []).withFiles).toEqual(['a']);
  });
});
