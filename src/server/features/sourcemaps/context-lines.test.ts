import { describe, expect, it } from 'vitest';

import { extractContext, splitLines, trimContextLine } from './context-lines.js';

const LINES = Array.from({ length: 20 }, (_, index) => `line ${index + 1}`);

describe('trimContextLine', () => {
  it('keeps lines of 150 characters', () => {
    const line = 'x'.repeat(150);
    expect(trimContextLine(line, 100)).toBe(line);
  });

  it('cuts a window around the column', () => {
    const line = `${'a'.repeat(200)}${'b'.repeat(10)}${'c'.repeat(200)}`;
    const trimmed = trimContextLine(line, 205);

    expect(trimmed).toBe(`{snip} ${line.slice(145, 285)} {snip}`);
  });

  it('keeps the start when the column is near it', () => {
    const line = 'y'.repeat(400);
    expect(trimContextLine(line, 10)).toBe(`${'y'.repeat(140)} {snip}`);
  });

  it('keeps the end when the window reaches it', () => {
    const line = `${'a'.repeat(100)}${'z'.repeat(100)}`;
    expect(trimContextLine(line, 190)).toBe(`{snip} ${line.slice(60)}`);
  });
});

describe('extractContext', () => {
  it('takes five lines on each side', () => {
    expect(extractContext(LINES, 10, 1)).toEqual({
      pre_context: ['line 5', 'line 6', 'line 7', 'line 8', 'line 9'],
      context_line: 'line 10',
      post_context: ['line 11', 'line 12', 'line 13', 'line 14', 'line 15'],
    });
  });

  it('stops at the file edges', () => {
    const first = extractContext(LINES, 1, 1);
    const last = extractContext(LINES, 20, 1);

    expect(first?.pre_context).toEqual([]);
    expect(first?.post_context).toHaveLength(5);
    expect(last?.post_context).toEqual([]);
    expect(last?.context_line).toBe('line 20');
  });

  it('returns undefined for a line outside the source', () => {
    expect(extractContext(LINES, 21, 1)).toBeUndefined();
    expect(extractContext(LINES, 0, 1)).toBeUndefined();
  });
});

describe('splitLines', () => {
  it('splits on every line ending', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
  });
});
