import { describe, expect, it } from 'vitest';

import { MAX_STACK_FRAMES, parseStackString } from './stack-parser.js';

describe('parseStackString with V8 stacks', () => {
  it('reads function and location, oldest frame first', () => {
    const stack = [
      'TypeError: cannot read properties of undefined',
      '    at renderRow (https://app.example.com/static/app.min.js:1:2048)',
      '    at https://app.example.com/static/app.min.js:1:999',
    ].join('\n');

    expect(parseStackString(stack)).toEqual([
      {
        filename: 'https://app.example.com/static/app.min.js',
        function: '?',
        lineno: 1,
        colno: 999,
      },
      {
        filename: 'https://app.example.com/static/app.min.js',
        function: 'renderRow',
        lineno: 1,
        colno: 2048,
      },
    ]);
  });

  it('keeps parentheses and aliases in the function name', () => {
    const [frame] = parseStackString(
      '    at Grid.(anonymous function) [as load] (/srv/grid.js:4:9)',
    );

    expect(frame).toEqual({
      filename: '/srv/grid.js',
      function: 'Grid.(anonymous function) [as load]',
      lineno: 4,
      colno: 9,
    });
  });

  it('reads the origin of eval code', () => {
    const [frame] = parseStackString(
      '    at evaluate (eval at load (https://x.test/a.js:30:7), <anonymous>:2:11)',
    );

    expect(frame).toEqual({
      filename: 'https://x.test/a.js',
      function: 'evaluate',
      lineno: 30,
      colno: 7,
    });
  });

  it('reads native frames without a position', () => {
    expect(parseStackString('    at Array.forEach (<anonymous>)')).toEqual([
      { filename: '<anonymous>', function: 'Array.forEach' },
    ]);
  });

  it('drops the async marker and the Hermes address prefix', () => {
    const stack = [
      '    at async loadUser (file:///srv/users.mjs:12:3)',
      '    at flush (address at index.android.bundle:1:5120)',
    ].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: 'index.android.bundle', function: 'flush', lineno: 1, colno: 5120 },
      { filename: 'file:///srv/users.mjs', function: 'async loadUser', lineno: 12, colno: 3 },
    ]);
  });

  it('keeps only the type of a data URI', () => {
    expect(parseStackString('    at run (data:text/javascript,throw new Error(1):1:7)')).toEqual([
      { filename: '<data:text/javascript>', function: 'run' },
    ]);
  });

  it('reads a Windows path', () => {
    const [frame] = parseStackString('    at main (C:\\app\\index.js:3:15)');

    expect(frame).toEqual({
      filename: 'C:\\app\\index.js',
      function: 'main',
      lineno: 3,
      colno: 15,
    });
  });
});

describe('parseStackString with SpiderMonkey and JavaScriptCore stacks', () => {
  it('reads function@location lines', () => {
    const stack = ['save@https://x.test/app.js:10:4', '@https://x.test/app.js:2:1'].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: 'https://x.test/app.js', function: '?', lineno: 2, colno: 1 },
      { filename: 'https://x.test/app.js', function: 'save', lineno: 10, colno: 4 },
    ]);
  });

  it('drops the arguments old Firefox prints', () => {
    expect(parseStackString('start(3)@https://x.test/app.js:7')).toEqual([
      { filename: 'https://x.test/app.js', function: 'start', lineno: 7 },
    ]);
  });

  it('reads eval code as the line of the eval call', () => {
    expect(parseStackString('run@https://x.test/app.js line 40 > eval:1:8')).toEqual([
      { filename: 'https://x.test/app.js', function: 'run', lineno: 40 },
    ]);
  });

  it('reads native code and bundles', () => {
    const stack = ['onTap@main.jsbundle:3:90', 'forEach@[native code]'].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: '[native code]', function: 'forEach' },
      { filename: 'main.jsbundle', function: 'onTap', lineno: 3, colno: 90 },
    ]);
  });

  it('moves the Safari extension scheme into the filename', () => {
    const [frame] = parseStackString('    at load@safari-extension:(//ext-id/content.js:5:6)');

    expect(frame).toEqual({
      filename: 'safari-extension://ext-id/content.js',
      function: 'load',
      lineno: 5,
      colno: 6,
    });
  });
});

describe('parseStackString with Opera stacktrace texts', () => {
  it('reads Opera 10 lines', () => {
    const stack = [
      '  Line 8 of linked script https://x.test/app.js: In function draw',
      '    draw();',
      '  Line 2 of inline#1 script in https://x.test/',
    ].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: 'https://x.test/', function: '?', lineno: 2 },
      { filename: 'https://x.test/app.js', function: 'draw', lineno: 8 },
    ]);
  });

  it('reads Opera 11 lines', () => {
    const stack = [
      'Error thrown at line 9, column 2 in <anonymous function: paint>(ctx) in https://x.test/app.js:',
      '    ctx.fill();',
      'called from line 3, column 0 in https://x.test/app.js:',
    ].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: 'https://x.test/app.js', function: '?', lineno: 3, colno: 0 },
      { filename: 'https://x.test/app.js', function: 'paint', lineno: 9, colno: 2 },
    ]);
  });
});

describe('parseStackString cleanup', () => {
  it('skips message lines and unreadable lines', () => {
    const stack = ['Error: boom', 'something unrelated', '    at f (https://x.test/a.js:1:1)'].join(
      '\n',
    );

    expect(parseStackString(stack)).toHaveLength(1);
  });

  it('reads the URL of a webpack chunk error', () => {
    const stack = ['ChunkLoadError: failed', '    (error: https://x.test/chunk.js)'].join('\n');

    expect(parseStackString(stack)).toEqual([
      { filename: 'https://x.test/chunk.js', function: '?' },
    ]);
  });

  it('drops the SDK wrapper frame at the bottom', () => {
    const stack = [
      '    at f (https://x.test/a.js:1:1)',
      '    at sentryWrapped (https://x.test/sdk.js:9:9)',
    ].join('\n');

    expect(parseStackString(stack).map((frame) => frame.function)).toEqual(['f']);
  });

  it('drops the framesToPop newest frames', () => {
    const stack = [
      '    at invariant (https://x.test/a.js:1:1)',
      '    at render (https://x.test/a.js:2:2)',
    ].join('\n');

    expect(parseStackString(stack, { framesToPop: 1 }).map((frame) => frame.function)).toEqual([
      'render',
    ]);
  });

  it('skips the requested first lines', () => {
    const stack = [
      'Invariant Violation: see https://x.test/docs',
      '    at f (https://x.test/a.js:1:1)',
    ].join('\n');

    expect(parseStackString(stack)).toHaveLength(2);
    expect(parseStackString(stack, { skipFirstLines: 1 })).toHaveLength(1);
  });

  it('keeps the newest 50 frames', () => {
    const stack = Array.from(
      { length: 80 },
      (_, index) => `    at f${index} (https://x.test/a.js:${index + 1}:1)`,
    ).join('\n');
    const frames = parseStackString(stack);

    expect(frames).toHaveLength(MAX_STACK_FRAMES);
    expect(frames.at(-1)?.function).toBe('f0');
  });

  it('returns no frames for text without a stack', () => {
    expect(parseStackString('just a message')).toEqual([]);
    expect(parseStackString('')).toEqual([]);
  });

  it('returns no frames for long lines of punctuation', () => {
    const stack = Array.from({ length: 50 }, () => '('.repeat(600) + ')'.repeat(600)).join('\n');

    expect(parseStackString(stack)).toEqual([]);
  });
});
