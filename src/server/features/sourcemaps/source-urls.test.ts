import { describe, expect, it } from 'vitest';

import {
  decodeDataUrl,
  findSourceMappingUrl,
  findSourceMapReference,
  joinPaths,
  releaseFileCandidates,
  stripHostname,
} from './source-urls.js';

describe('stripHostname', () => {
  it.each([
    ['https://example.com/some/path/file.js', '/some/path/file.js'],
    ['https://example.com/', '/'],
    ['https://example.com', 'example.com'],
    ['~/with/tilde', '/with/tilde'],
    ['/absolute/unix/path', '/absolute/unix/path'],
    ['app:///dist/main.js', '/dist/main.js'],
  ])('strips %s to %s', (url, expected) => {
    expect(stripHostname(url)).toBe(expected);
  });
});

describe('releaseFileCandidates', () => {
  it('lists the URL and its tilde form', () => {
    expect(releaseFileCandidates('https://example.com/assets/bundle.min.js')).toEqual([
      'https://example.com/assets/bundle.min.js',
      '~/assets/bundle.min.js',
    ]);
  });

  it('lists forms with and without the query', () => {
    expect(releaseFileCandidates('https://example.com/assets/bundle.min.js?foo=1&bar=baz')).toEqual(
      [
        'https://example.com/assets/bundle.min.js?foo=1&bar=baz',
        'https://example.com/assets/bundle.min.js',
        '~/assets/bundle.min.js?foo=1&bar=baz',
        '~/assets/bundle.min.js',
      ],
    );
  });

  it('drops the fragment', () => {
    expect(releaseFileCandidates('https://example.com/a.js?x=1#wat')).toEqual([
      'https://example.com/a.js?x=1',
      'https://example.com/a.js',
      '~/a.js?x=1',
      '~/a.js',
    ]);
  });

  it('handles app URLs and plain paths', () => {
    expect(releaseFileCandidates('app:///_next/server/pages/_error.js')).toEqual([
      'app:///_next/server/pages/_error.js',
      '~/_next/server/pages/_error.js',
    ]);
    expect(releaseFileCandidates('/srv/app/dist/server.js')).toEqual([
      '/srv/app/dist/server.js',
      '~/srv/app/dist/server.js',
    ]);
  });
});

describe('joinPaths', () => {
  it.each([
    [
      'https://example.com/assets/app.min.js',
      'app.min.js.map',
      'https://example.com/assets/app.min.js.map',
    ],
    [
      'https://example.com/assets/app.min.js?v=3',
      'app.js.map',
      'https://example.com/assets/app.js.map',
    ],
    ['https://example.com/assets/app.js.map', '../src/app.js', 'https://example.com/src/app.js'],
    ['https://example.com/a/app.js.map', '../../../src/app.js', 'https://example.com/src/app.js'],
    ['https://example.com/a/app.js.map', './src/./app.js', 'https://example.com/a/src/app.js'],
    ['https://example.com/a/app.js', '~/maps/app.js.map', 'https://example.com/maps/app.js.map'],
    ['https://example.com/a/app.js', '/maps/app.js.map', 'https://example.com/maps/app.js.map'],
    [
      'https://example.com/a/app.js',
      '//other.example/app.js.map',
      'https://other.example/app.js.map',
    ],
    [
      'https://example.com/a/app.js',
      'https://maps.example/app.js.map',
      'https://maps.example/app.js.map',
    ],
    ['https://example.com/a/app.js.map', 'webpack:///./src/app.js', 'webpack:///./src/app.js'],
    ['app:///dist/main.js.map', '../src/main.ts', 'app:///src/main.ts'],
    ['/srv/app/dist/server.js.map', '../src/app.ts', '/srv/app/src/app.ts'],
    ['/srv/app/dist/server.js', '~/maps/server.js.map', '/maps/server.js.map'],
    ['/dist/server.js.map', '../../src/app.ts', '/../src/app.ts'],
  ])('joins %s and %s', (base, right, expected) => {
    expect(joinPaths(base, right)).toBe(expected);
  });
});

describe('findSourceMappingUrl', () => {
  it('finds the comment at the end', () => {
    expect(findSourceMappingUrl('var a=1;\n//# sourceMappingURL=app.js.map\n')).toBe('app.js.map');
  });

  it('accepts the older at-sign form and white space', () => {
    expect(findSourceMappingUrl('x\n  //@ sourceMappingURL=old.map  ')).toBe('old.map');
  });

  it('takes the last comment', () => {
    const source = '//# sourceMappingURL=first.map\ncode();\n//# sourceMappingURL=last.map';
    expect(findSourceMappingUrl(source)).toBe('last.map');
  });

  it('ignores a comment that does not start its line', () => {
    expect(findSourceMappingUrl('var s = "//# sourceMappingURL=fake.map";')).toBeUndefined();
  });

  it('returns undefined without a comment', () => {
    expect(findSourceMappingUrl('function a(){}')).toBeUndefined();
    expect(findSourceMappingUrl('//# sourceMappingURL=\n')).toBeUndefined();
  });

  it('reads a data URL to the end of its line', () => {
    const source = 'a();\r\n//# sourceMappingURL=data:application/json;base64,e30=\r\n';
    expect(findSourceMappingUrl(source)).toBe('data:application/json;base64,e30=');
  });
});

describe('findSourceMapReference', () => {
  it('prefers the Sourcemap header to the comment', () => {
    expect(findSourceMapReference({ sourcemap: 'h.map' }, '//# sourceMappingURL=c.map')).toEqual({
      origin: 'header',
      value: 'h.map',
    });
  });

  it('reads the X-SourceMap header', () => {
    expect(findSourceMapReference({ 'x-sourcemap': 'x.map' }, undefined)).toEqual({
      origin: 'header',
      value: 'x.map',
    });
  });

  it('falls back to the comment', () => {
    expect(findSourceMapReference({}, 'a()\n//# sourceMappingURL=c.map')).toEqual({
      origin: 'comment',
      value: 'c.map',
    });
  });

  it('returns undefined without either', () => {
    expect(findSourceMapReference({ sourcemap: ' ' }, 'a()')).toBeUndefined();
  });
});

describe('decodeDataUrl', () => {
  it('decodes base64', () => {
    const encoded = Buffer.from('{"version":3}').toString('base64');
    expect(decodeDataUrl(`data:application/json;charset=utf-8;base64,${encoded}`)).toBe(
      '{"version":3}',
    );
  });

  it('decodes percent escapes', () => {
    expect(decodeDataUrl('data:application/json,%7B%22version%22%3A3%7D')).toBe('{"version":3}');
  });

  it('returns undefined for malformed URLs', () => {
    expect(decodeDataUrl('data:application/json,%E0%A4%A')).toBeUndefined();
    expect(decodeDataUrl('data:no-comma')).toBeUndefined();
    expect(decodeDataUrl('https://example.com/a.map')).toBeUndefined();
  });
});
