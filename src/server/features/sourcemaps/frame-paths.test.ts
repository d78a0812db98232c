import { describe, expect, it } from 'vitest';

import {
  cleanSourceFilename,
  fixWebpackPath,
  generateModule,
  isArtifactPath,
  isInAppSource,
} from './frame-paths.js';

describe('isArtifactPath', () => {
  it.each([
    ['https://cdn.example.com/app.min.js', 'javascript', true],
    ['app:///dist/main.js', 'javascript', true],
    ['/static/app.js', 'javascript', true],
    ['[native code]', 'javascript', false],
    ['<anonymous>', 'javascript', false],
    ['app.js', 'javascript', false],
    ['https://shop.example.com/index.html?step=2', 'javascript', false],
    ['https://shop.example.com/checkout/', 'javascript', false],
    ['https://shop.example.com', 'javascript', false],
    ['https://shop.example.com/assets/app.min.js?v=3', 'javascript', true],
    ['/srv/app/dist/server.js', 'node', true],
    ['app:///dist/server.js', 'node', true],
    ['C:\\app\\dist\\server.js', 'node', true],
    ['node:internal/process/task_queues', 'node', false],
    ['internal/timers.js', 'node', false],
    ['events.js', 'node', false],
    ['', 'node', false],
  ])('%s on %s is %s', (path, platform, expected) => {
    expect(isArtifactPath(path, platform)).toBe(expected);
  });
});

describe('fixWebpackPath', () => {
  it.each([
    ['webpack:///./src/app.js', './src/app.js'],
    ['webpack://my-app/./src/app.js', './src/app.js'],
    ['webpack:///webpack/bootstrap', 'webpack/bootstrap'],
    ['webpack:///~/react/index.js', '~/react/index.js'],
    ['webpack://app/src/app.js', 'app/src/app.js'],
    ['../src/app.js', '../src/app.js'],
  ])('rewrites %s to %s', (source, expected) => {
    expect(fixWebpackPath(source)).toBe(expected);
  });
});

describe('cleanSourceFilename', () => {
  it.each([
    ['webpack://my-app/./src/app.js', 'src/app.js'],
    ['webpack:///./src/app.js', 'src/app.js'],
    ['./src/app.ts', 'src/app.ts'],
    ['../../src2/app.js', '../../src2/app.js'],
    ['src/app.ts', 'src/app.ts'],
  ])('cleans %s to %s', (source, expected) => {
    expect(cleanSourceFilename(source)).toBe(expected);
  });
});

describe('isInAppSource', () => {
  it.each([
    ['webpack://my-app/./src/app.js', 'webpack://my-app/./src/app.js', true],
    ['webpack://my-app/./node_modules/react/index.js', 'webpack://x/./node_modules/r.js', false],
    ['webpack:///webpack/bootstrap', 'webpack:///webpack/bootstrap', false],
    ['webpack:///~/lodash/index.js', 'webpack:///~/lodash/index.js', false],
    ['webpack:///src/app.js', 'webpack:///src/app.js', false],
    ['../src/main.ts', 'app:///src/main.ts', true],
    ['../node_modules/lib/index.js', 'app:///node_modules/lib/index.js', false],
    ['../src/app.js', 'https://cdn.example.com/src/app.js', true],
    [
      '../src/node_modules/cart/index.js',
      'https://cdn.example.com/src/node_modules/cart/index.js',
      false,
    ],
    ['../bower_components/x/x.js', 'https://cdn.example.com/bower_components/x/x.js', false],
    ['~/vendor/lib.js', 'https://cdn.example.com/vendor/lib.js', false],
    ['(webpack)/buildin/global.js', 'https://cdn.example.com/(webpack)/buildin/global.js', false],
    ['webpack/runtime/define property getters', 'https://cdn.example.com/webpack/runtime/x', false],
    ['../src/app.ts', '/srv/app/src/app.ts', true],
  ])('%s at %s is %s', (source, absPath, expected) => {
    expect(isInAppSource(source, absPath)).toBe(expected);
  });
});

describe('generateModule', () => {
  it.each([
    ['http://example.com/foo.js', 'foo'],
    ['http://example.com/foo/bar.js', 'foo/bar'],
    ['http://example.com/js/foo/bar.js', 'foo/bar'],
    ['http://example.com/javascript/foo/bar.js', 'foo/bar'],
    ['http://example.com/1.0/foo/bar.js', 'foo/bar'],
    ['http://example.com/v1.0.0/foo/bar.js', 'foo/bar'],
    ['http://example.com/_baz/foo/bar.js', 'foo/bar'],
    ['http://example.com/1/2/3/foo/bar.js', 'foo/bar'],
    ['http://example.com/abcdef0/foo/bar.js', 'foo/bar'],
    ['http://example.com/92cd589eca8235e7b373bf5ae94ebf898e3b949c/foo/bar.js', 'foo/bar'],
    ['http://example.com/7d6d00eae0ceccdc7ee689659585d95f/foo/bar.js', 'foo/bar'],
    ['http://example.com/foo/bar.coffee', 'foo/bar'],
    ['http://example.com/foo/bar.js?v=1234', 'foo/bar'],
    ['/foo/bar.js', 'foo/bar'],
    ['/foo/bar-7d6d00eae0ceccdc7ee689659585d95f.js', 'foo/bar'],
    ['/bower_components/foo/bar.js', 'foo/bar'],
    ['/node_modules/foo/bar.js', 'foo/bar'],
    ['http://example.com/vendor.92cd589eca8235e7b373bf5ae94ebf898e3b949c.js', 'vendor'],
    ['~/app/components/thing.min.js', 'app/components/thing'],
  ])('derives %s to %s', (url, expected) => {
    expect(generateModule(url)).toBe(expected);
  });
});
