import { describe, expect, it } from 'vitest';

import type { ArtifactBundle } from '../../../shared/api/sourcemaps';
import { describeBundleDeletion, selectBundleUploads } from './bundle-deletion';

const BUNDLE_ID = '9e2f1c1a-0000-4000-8000-00000000abcd';

function upload(release: string | null, dist: string | null = null, fileCount = 4) {
  return { release, dist, fileCount };
}

function bundle(bundleId: string, release: string): ArtifactBundle {
  const date = '2026-01-01T00:00:00.000Z';
  return { bundleId, release, dist: null, fileCount: 2, date, dateModified: date };
}

describe('describeBundleDeletion', () => {
  it('counts the files of a single upload', () => {
    expect(describeBundleDeletion(BUNDLE_ID, { uploads: [upload('a')], hasMore: false })).toBe(
      `Delete bundle ${BUNDLE_ID} and its 4 files? Events that arrive later can no longer be mapped with it.`,
    );
  });

  it('uses the singular for one file', () => {
    const question = describeBundleDeletion(BUNDLE_ID, {
      uploads: [upload('a', null, 1)],
      hasMore: false,
    });

    expect(question).toContain('and its file?');
  });

  it('names every release of five uploads', () => {
    const uploads = ['a', 'b', 'c', 'd', 'e'].map((release) => upload(release));

    expect(describeBundleDeletion(BUNDLE_ID, { uploads, hasMore: false })).toBe(
      `Delete bundle ${BUNDLE_ID}? It was uploaded 5 times, for releases a, b, c, d, e; all 5 are removed.`,
    );
  });

  it('names distributions and missing releases', () => {
    const question = describeBundleDeletion(BUNDLE_ID, {
      uploads: [upload('a', 'ios'), upload(null)],
      hasMore: false,
    });

    expect(question).toContain('for releases a (distribution ios), (none); all 2 are removed.');
  });

  it('names a release once', () => {
    const question = describeBundleDeletion(BUNDLE_ID, {
      uploads: [upload('a'), upload('a')],
      hasMore: false,
    });

    expect(question).toContain('uploaded 2 times, for release a; all 2 are removed.');
  });

  it('counts the releases past ten', () => {
    const uploads = Array.from({ length: 12 }, (_, index) => upload(`r${index}`));
    const question = describeBundleDeletion(BUNDLE_ID, { uploads, hasMore: false });

    expect(question).toContain('r9 and 2 more; all 12 are removed.');
    expect(question).not.toContain('r10');
  });

  it('says more when the list was cut', () => {
    const question = describeBundleDeletion(BUNDLE_ID, { uploads: [upload('a')], hasMore: true });

    expect(question).toBe(
      `Delete bundle ${BUNDLE_ID}? It was uploaded more than 1 times, for releases a and more; all of them are removed.`,
    );
  });
});

describe('selectBundleUploads', () => {
  it('keeps only the exact bundle ID', () => {
    const bundles = [
      bundle(BUNDLE_ID, 'a'),
      bundle('other', BUNDLE_ID),
      bundle(BUNDLE_ID.toUpperCase(), 'b'),
    ];

    expect(selectBundleUploads(BUNDLE_ID, bundles).map((item) => item.release)).toEqual(['a', 'b']);
  });
});
