import { describe, expect, it } from 'vitest';

import type { StackFrame } from '../../../shared/api/events';
import { findInitiallyExpandedFrame, frameFileName, groupFrames } from './stack-frames';

function makeFrame(overrides: Partial<StackFrame>): StackFrame {
  return {
    filename: 'app.js',
    absPath: null,
    module: null,
    function: 'run',
    lineNo: 1,
    colNo: 1,
    inApp: false,
    context: null,
    vars: null,
    platform: null,
    ...overrides,
  };
}

describe('groupFrames', () => {
  it('puts the crashing frame first', () => {
    const groups = groupFrames([
      makeFrame({ function: 'outer', inApp: true }),
      makeFrame({ function: 'inner', inApp: true }),
    ]);

    expect(groups[0]?.frames.map(({ frame }) => frame.function)).toEqual(['inner', 'outer']);
  });

  it('collapses each run of system frames', () => {
    const groups = groupFrames([
      makeFrame({ function: 'lib1' }),
      makeFrame({ function: 'lib2' }),
      makeFrame({ function: 'handler', inApp: true }),
      makeFrame({ function: 'lib3' }),
    ]);

    expect(groups.map((group) => [group.isCollapsible, group.frames.length])).toEqual([
      [true, 1],
      [false, 1],
      [true, 2],
    ]);
  });

  it('shows every frame when none is in-app', () => {
    const groups = groupFrames([makeFrame({}), makeFrame({})]);

    expect(groups).toEqual([{ frames: expect.any(Array) as unknown, isCollapsible: false }]);
  });

  it('returns no groups for an empty stack trace', () => {
    expect(groupFrames([])).toEqual([]);
  });
});

describe('findInitiallyExpandedFrame', () => {
  it('expands the crashing-most in-app frame with source context', () => {
    const groups = groupFrames([
      makeFrame({ inApp: true, context: [[1, 'caller()']] }),
      makeFrame({ inApp: true }),
      makeFrame({ context: [[9, 'library()']] }),
    ]);

    expect(findInitiallyExpandedFrame(groups)).toBe(2);
  });

  it('accepts a predicate for frames with details', () => {
    const groups = groupFrames([
      makeFrame({ inApp: true, function: 'caller' }),
      makeFrame({ inApp: true, function: 'unmapped' }),
    ]);

    expect(findInitiallyExpandedFrame(groups, (frame) => frame.function === 'caller')).toBe(1);
  });
});

describe('frameFileName', () => {
  it('falls back to the module without a file name', () => {
    expect(frameFileName(makeFrame({ filename: null, module: 'app.views' }))).toBe('app.views');
  });
});
