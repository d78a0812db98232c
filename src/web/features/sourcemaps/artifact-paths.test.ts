import { describe, expect, it } from 'vitest';

import { fileNameOf, formatFileType, toTildePath, urlPrefixOf } from './artifact-paths';

describe('toTildePath', () => {
  it('replaces the scheme and host of an http URL with a tilde', () => {
    expect(toTildePath('https://shop.example.com/assets/app.min.js')).toBe('~/assets/app.min.js');
  });

  it('drops the query and fragment', () => {
    expect(toTildePath('http://127.0.0.1:5173/app.js?v=3#top')).toBe('~/app.js');
  });

  it('keeps a file path', () => {
    expect(toTildePath('/srv/app/dist/index.js')).toBe('/srv/app/dist/index.js');
  });

  it('keeps an app URL', () => {
    expect(toTildePath('app:///main.jsbundle')).toBe('app:///main.jsbundle');
  });

  it('keeps an http URL that does not parse', () => {
    expect(toTildePath('http://host:99999/app.js')).toBe('http://host:99999/app.js');
  });
});

describe('urlPrefixOf', () => {
  it('returns the folder of a tilde path', () => {
    expect(urlPrefixOf('~/assets/js/app.min.js')).toBe('~/assets/js');
  });

  it('returns the tilde root for a file at the root', () => {
    expect(urlPrefixOf('~/app.min.js')).toBe('~/');
  });

  it('returns the root for an absolute file at the root', () => {
    expect(urlPrefixOf('/index.js')).toBe('/');
  });

  it('keeps the slashes of an app URL', () => {
    expect(urlPrefixOf('app:///main.jsbundle')).toBe('app:///');
  });

  it('ignores slashes in the query', () => {
    expect(urlPrefixOf('~/assets/app.js?from=/a/b')).toBe('~/assets');
  });

  it('returns the tilde root for a bare file name', () => {
    expect(urlPrefixOf('app.js')).toBe('~/');
  });
});

describe('fileNameOf', () => {
  it('returns the last segment without the query', () => {
    expect(fileNameOf('https://cdn.example.com/a/app.min.js?v=2')).toBe('app.min.js');
  });

  it('returns a name without slashes as it is', () => {
    expect(fileNameOf('app.min.js.map')).toBe('app.min.js.map');
  });

  it('returns the whole path when it ends with a slash', () => {
    expect(fileNameOf('~/assets/')).toBe('~/assets/');
  });
});

describe('formatFileType', () => {
  it.each([
    [3, 'Source map'],
    ['3', 'Source map'],
    [2, 'Minified source'],
    ['minified_source', 'Minified source'],
    ['source_map', 'Source map'],
    ['source', 'Source'],
    [4, 'Indexed RAM bundle'],
  ])('names %j as %s', (fileType, name) => {
    expect(formatFileType(fileType)).toBe(name);
  });

  it('shows an unknown string as it is', () => {
    expect(formatFileType('wasm')).toBe('wasm');
  });

  it('names the invalid type 0 and a missing type Unknown', () => {
    expect([formatFileType(0), formatFileType(null), formatFileType('')]).toEqual([
      'Unknown',
      'Unknown',
      'Unknown',
    ]);
  });
});
