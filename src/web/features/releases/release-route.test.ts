import { describe, expect, it } from 'vitest';

import { releasePath } from './query-options';
import { readReleaseVersion } from './release-route';

describe('readReleaseVersion', () => {
  it.each(['a%2Fb', '50%', 'a/b', 'shop@1.4.2+build.7', 'v 1.0', '%25', 'ü'])(
    'reads back %s from its link',
    (version) => {
      expect(readReleaseVersion(releasePath('acme', version))).toBe(version);
    },
  );

  it('decodes the segment once', () => {
    expect(readReleaseVersion('/organizations/acme/releases/a%252Fb/')).toBe('a%2Fb');
  });

  it('keeps a malformed segment as it is', () => {
    expect(readReleaseVersion('/organizations/acme/releases/50%/')).toBe('50%');
  });

  it('reads a path without the trailing slash', () => {
    expect(readReleaseVersion('/organizations/acme/releases/1.0')).toBe('1.0');
  });

  it('returns null outside a release page', () => {
    expect(readReleaseVersion('/organizations/acme/releases/')).toBeNull();
  });
});
