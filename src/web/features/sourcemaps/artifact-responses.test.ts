import { describe, expect, it } from 'vitest';

import { countArtifactFiles, readBundleFiles, readSourceMapHeader } from './artifact-responses';

const FILE = {
  id: 'ZmlsZXMvYXBwLmpz',
  filePath: '~/assets/app.min.js',
  fileSize: 1200,
  fileType: 'minified_source',
  debugId: 'addcc2e4-5f5b-4c4e-9d7c-5d1d1d2f0a11',
  sourcemap: 'app.min.js.map',
};

describe('readBundleFiles', () => {
  it('reads the files of a Sentry-shaped object', () => {
    expect(readBundleFiles({ bundleId: 'b', files: [FILE] })).toEqual([FILE]);
  });

  it('reads a plain array', () => {
    expect(readBundleFiles([FILE])).toEqual([FILE]);
  });

  it('turns a numeric file type into a string', () => {
    expect(readBundleFiles([{ ...FILE, fileType: 3 }])[0]?.fileType).toBe('3');
  });

  it('drops entries without a path', () => {
    expect(readBundleFiles([{ id: 'x' }, null, 'text', FILE])).toEqual([FILE]);
  });

  it('returns no files for a body without a list', () => {
    expect(readBundleFiles({ detail: 'nope' })).toEqual([]);
  });

  it('fills missing optional fields', () => {
    expect(readBundleFiles([{ filePath: 'a.js' }])).toEqual([
      { id: 'a.js', filePath: 'a.js', fileSize: -1, fileType: '', debugId: null, sourcemap: null },
    ]);
  });
});

describe('readSourceMapHeader', () => {
  it('reads the Sourcemap header in any case', () => {
    expect(readSourceMapHeader({ SOURCEMAP: 'app.js.map' })).toBe('app.js.map');
  });

  it('reads the older X-SourceMap header', () => {
    expect(readSourceMapHeader({ 'X-SourceMap': 'old.js.map' })).toBe('old.js.map');
  });

  it('returns null without a reference', () => {
    expect(readSourceMapHeader({ 'Content-Type': 'text/javascript' })).toBeNull();
  });

  it('returns null without headers', () => {
    expect(readSourceMapHeader(null)).toBeNull();
  });
});

describe('countArtifactFiles', () => {
  const NO_LINKS = { previous: null, next: null };
  const MORE = { previous: null, next: { url: '', cursor: '0:25:0', hasResults: true } };

  it('adds bundle files and release files', () => {
    const count = countArtifactFiles({
      bundleFileCounts: [2, 3],
      releaseFiles: { items: [{}, {}], pageLinks: NO_LINKS, total: null },
    });

    expect(count).toEqual({ text: '7', isOne: false });
  });

  it('prefers the X-Hits total', () => {
    const count = countArtifactFiles({
      bundleFileCounts: [],
      releaseFiles: { items: [{}], pageLinks: MORE, total: 40 },
    });

    expect(count).toEqual({ text: '40', isOne: false });
  });

  it('marks a count with uncounted pages as a lower bound', () => {
    const count = countArtifactFiles({
      bundleFileCounts: [1],
      releaseFiles: { items: [{}, {}], pageLinks: MORE, total: null },
    });

    expect(count).toEqual({ text: '3+', isOne: false });
  });

  it('uses the singular for one file', () => {
    const count = countArtifactFiles({
      bundleFileCounts: [1],
      releaseFiles: { items: [], pageLinks: NO_LINKS, total: null },
    });

    expect(count).toEqual({ text: '1', isOne: true });
  });

  it('returns null while the release files load', () => {
    expect(countArtifactFiles({ bundleFileCounts: [4], releaseFiles: null })).toBeNull();
  });
});
