import { originalPositionFor } from '@jridgewell/trace-mapping';
import { describe, expect, it } from 'vitest';

import {
  findOriginalPosition,
  isIgnoredSource,
  lookupOriginal,
  parseSourceMap,
  SourceMapError,
  sourceLines,
} from './source-map.js';

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** Encodes one VLQ value, as a map writer does. */
function vlq(value: number): string {
  let rest = value < 0 ? (-value << 1) | 1 : value << 1;
  let out = '';
  do {
    let digit = rest & 31;
    rest >>>= 5;
    if (rest > 0) {
      digit |= 32;
    }
    out += BASE64[digit];
  } while (rest > 0);
  return out;
}

/** Encodes lines of absolute segments `[column, source?, line?, column?, name?]` as mappings. */
function encode(lines: number[][][]): string {
  const state = [0, 0, 0, 0];
  return lines
    .map((segments) => {
      let column = 0;
      return segments
        .map((segment) => {
          const [generated = 0, ...rest] = segment;
          let text = vlq(generated - column);
          column = generated;
          rest.forEach((value, index) => {
            text += vlq(value - (state[index] ?? 0));
            state[index] = value;
          });
          return text;
        })
        .join(',');
    })
    .join(';');
}

function mapText(fields: Record<string, unknown>): string {
  return JSON.stringify({ version: 3, sources: ['a.js'], names: [], mappings: '', ...fields });
}

/** Two generated lines: `foo` at 0:0 from a.js 0:0, `bar` at 0:10 from a.js 2:4, one-field at 0:20. */
const SIMPLE_MAP = mapText({
  sources: ['a.js', 'b.js'],
  sourcesContent: ['line one\nline two\n  line three', null],
  names: ['foo', 'bar'],
  mappings: encode([[[0, 0, 0, 0, 0], [10, 0, 2, 4, 1], [20]], [[5, 1, 7, 0]]]),
});

function expectInvalid(text: string, message: RegExp): void {
  let error: unknown;
  try {
    parseSourceMap(text);
  } catch (caught) {
    error = caught;
  }
  expect(error).toBeInstanceOf(SourceMapError);
  expect((error as SourceMapError).message).toMatch(message);
}

describe('findOriginalPosition', () => {
  const map = parseSourceMap(SIMPLE_MAP);

  it('maps an exact segment start, 1-based', () => {
    expect(findOriginalPosition(map, 1, 11)).toEqual({
      status: 'mapped',
      position: {
        source: 'a.js',
        sourceIndex: 0,
        line: 3,
        column: 5,
        name: 'bar',
        generatedLine: 1,
        generatedColumn: 11,
      },
    });
  });

  it('takes the segment before a column between two', () => {
    expect(findOriginalPosition(map, 1, 15)).toMatchObject({
      status: 'mapped',
      position: { generatedColumn: 11 },
    });
  });

  it('takes the segment after a column with least-upper-bound', () => {
    expect(findOriginalPosition(map, 1, 2, 'least-upper-bound')).toMatchObject({
      position: { name: 'bar' },
    });
  });

  it('reports a column before the first segment as no mapping', () => {
    expect(findOriginalPosition(map, 2, 1)).toEqual({ status: 'no_mapping_at_position' });
  });

  it('reports a one-field segment as no mapping', () => {
    expect(findOriginalPosition(map, 1, 25)).toEqual({ status: 'no_mapping_at_position' });
  });

  it('reports a line past the mappings as out of range', () => {
    expect(findOriginalPosition(map, 3, 1)).toEqual({ status: 'line_out_of_range', lineCount: 2 });
  });

  it('reports line 0 as out of range', () => {
    expect(findOriginalPosition(map, 0, 1).status).toBe('line_out_of_range');
  });

  it('treats a missing column as column 1', () => {
    expect(findOriginalPosition(map, 1, 0)).toMatchObject({ position: { name: 'foo' } });
  });

  it('returns the first of several segments at one column', () => {
    const duplicated = parseSourceMap(
      mapText({
        names: ['first', 'second'],
        mappings: encode([
          [
            [3, 0, 0, 0, 0],
            [3, 0, 5, 0, 1],
          ],
        ]),
      }),
    );

    expect(findOriginalPosition(duplicated, 1, 9)).toMatchObject({ position: { name: 'first' } });
  });

  it('sorts segments that the map lists out of order', () => {
    const unsorted = parseSourceMap(
      mapText({
        names: ['late', 'early'],
        mappings: encode([
          [
            [8, 0, 1, 0, 0],
            [2, 0, 0, 0, 1],
          ],
        ]),
      }),
    );

    expect(findOriginalPosition(unsorted, 1, 5)).toMatchObject({ position: { name: 'early' } });
    expect(findOriginalPosition(unsorted, 1, 9)).toMatchObject({ position: { name: 'late' } });
  });
});

describe('lookupOriginal', () => {
  it('returns source, line, column and name', () => {
    const map = parseSourceMap(SIMPLE_MAP);

    expect(lookupOriginal(map, 2, 6)).toEqual({ source: 'b.js', line: 8, column: 1, name: null });
  });

  it('returns undefined for a segment whose source is null', () => {
    const map = parseSourceMap(mapText({ sources: [null], mappings: encode([[[0, 0, 0, 0]]]) }));

    expect(lookupOriginal(map, 1, 1)).toBeUndefined();
    expect(findOriginalPosition(map, 1, 1).status).toBe('mapped');
  });
});

describe('sourceLines', () => {
  const map = parseSourceMap(SIMPLE_MAP);

  it('splits sourcesContent by name', () => {
    expect(sourceLines(map, 'a.js')).toEqual(['line one', 'line two', '  line three']);
  });

  it('reads sourcesContent by index', () => {
    expect(sourceLines(map, 0)?.[1]).toBe('line two');
  });

  it('returns undefined without content', () => {
    expect(sourceLines(map, 'b.js')).toBeUndefined();
    expect(sourceLines(map, 'missing.js')).toBeUndefined();
  });
});

describe('parseSourceMap fields', () => {
  it('joins sources with sourceRoot but keeps absolute URLs', () => {
    const map = parseSourceMap(
      mapText({ sourceRoot: 'src', sources: ['a.js', 'webpack:///./b.js', null] }),
    );

    expect(map.sources).toEqual(['src/a.js', 'webpack:///./b.js', null]);
  });

  it('reads debug_id as well as debugId, as a lower-case UUID', () => {
    const map = parseSourceMap(mapText({ debug_id: '1AAD9D9E2B50454FA5F20DD5E95C154C' }));

    expect(map.debugId).toBe('1aad9d9e-2b50-454f-a5f2-0dd5e95c154c');
  });

  it('ignores a debug ID that is not a UUID', () => {
    expect(parseSourceMap(mapText({ debugId: 'not a uuid' })).debugId).toBeUndefined();
  });

  it('marks ignoreList sources, falling back to x_google_ignoreList', () => {
    const map = parseSourceMap(mapText({ sources: ['a.js', 'vendor.js'], ignoreList: [1] }));
    const older = parseSourceMap(mapText({ sources: ['a.js'], x_google_ignoreList: [0] }));

    expect(isIgnoredSource(map, 'vendor.js')).toBe(true);
    expect(isIgnoredSource(map, 'a.js')).toBe(false);
    expect(isIgnoredSource(older, 0)).toBe(true);
  });

  it('skips a )]} first line', () => {
    expect(parseSourceMap(`)]}'\n${SIMPLE_MAP}`).lineCount).toBe(2);
  });

  it('accepts a value with many zero continuation digits', () => {
    const map = parseSourceMap(mapText({ mappings: `${'g'.repeat(40)}AAAA` }));

    expect(findOriginalPosition(map, 1, 1).status).toBe('mapped');
  });

  it('builds a trace-mapping TraceMap on request', () => {
    const map = parseSourceMap(SIMPLE_MAP);

    expect(originalPositionFor(map.trace, { line: 1, column: 10 }).name).toBe('bar');
  });
});

describe('parseSourceMap validation', () => {
  it.each([
    ['a version other than 3', mapText({ version: '3' }), /version is "3"/],
    ['missing sources', JSON.stringify({ version: 3, mappings: '' }), /no "sources"/],
    ['a source that is a number', mapText({ sources: [3] }), /"sources" entry 0 is 3/],
    ['names that are not a list', mapText({ names: 'x' }), /"names" is not a list/],
    ['a file that is not a string', mapText({ file: 7 }), /"file" is not a string/],
    ['an ignoreList index out of bounds', mapText({ ignoreList: [1] }), /outside the 1 sources/],
    ['an ignoreList entry that is not an index', mapText({ ignoreList: [0.5] }), /not an index/],
    ['mappings that are not a string', mapText({ mappings: 5 }), /"mappings" is number/],
    ['a character outside Base64', mapText({ mappings: 'AA$A' }), /"\$" is not a Base64 digit/],
    ['an unfinished value', mapText({ mappings: 'AAAg' }), /unfinished/],
    ['a segment with two fields', mapText({ mappings: 'AA' }), /has 2 fields/],
    ['an empty segment', mapText({ mappings: 'AAAA,' }), /has 0 fields/],
    ['an empty segment before a new line', mapText({ mappings: 'AAAA,;AAAA' }), /has 0 fields/],
    ['a source index out of bounds', mapText({ mappings: 'ACAA' }), /source index 1/],
    ['a name index out of bounds', mapText({ mappings: 'AAAAA' }), /name index 0/],
    ['a negative column', mapText({ mappings: 'D' }), /generated column -1/],
    ['a value past 32 bits', mapText({ mappings: 'ggggggE' }), /does not fit in 32 bits/],
  ])('rejects %s', (_name, text, message) => {
    expectInvalid(text, message);
  });

  it('rejects text that is not JSON with invalid_json', () => {
    expect(() => parseSourceMap('{')).toThrow(
      expect.objectContaining({ code: 'invalid_json' }) as Error,
    );
  });

  it('rejects a wrong version with invalid_version', () => {
    expect(() => parseSourceMap(mapText({ version: 4 }))).toThrow(
      expect.objectContaining({ code: 'invalid_version' }) as Error,
    );
  });
});

describe('parseSourceMap index maps', () => {
  const section = (line: number, column: number, map: Record<string, unknown>) => ({
    offset: { line, column },
    map: { version: 3, names: [], ...map },
  });

  const INDEX_MAP = JSON.stringify({
    version: 3,
    debugId: '8cf3d888-fc9e-457d-a999-6ffef384b736',
    sections: [
      section(0, 0, {
        sources: ['first.js'],
        names: ['one'],
        mappings: encode([
          [
            [0, 0, 0, 0, 0],
            [30, 0, 4, 0],
          ],
        ]),
      }),
      section(0, 20, {
        sources: ['second.js'],
        sourceRoot: 'lib',
        ignoreList: [0],
        debugId: 'a938a92f-3074-41f7-bfdb-1038430a983c',
        mappings: encode([[[0, 0, 1, 0]], [[2, 0, 3, 0]]]),
      }),
    ],
  });

  it('shifts the first line of a section by its column', () => {
    const map = parseSourceMap(INDEX_MAP);

    expect(lookupOriginal(map, 1, 21)).toEqual({
      source: 'lib/second.js',
      line: 2,
      column: 1,
      name: null,
    });
  });

  it('leaves later lines of a section unshifted', () => {
    const map = parseSourceMap(INDEX_MAP);

    expect(lookupOriginal(map, 2, 3)?.line).toBe(4);
  });

  it('drops the segments of a section that run into the next one', () => {
    const map = parseSourceMap(INDEX_MAP);

    expect(lookupOriginal(map, 1, 40)?.source).toBe('lib/second.js');
  });

  it('offsets ignoreList indexes and keeps only the top-level debug ID', () => {
    const map = parseSourceMap(INDEX_MAP);

    expect(map.ignoreList).toEqual([1]);
    expect(map.debugId).toBe('8cf3d888-fc9e-457d-a999-6ffef384b736');
  });

  it('rejects sections out of order', () => {
    const text = JSON.stringify({
      version: 3,
      sections: [
        section(1, 0, { sources: [], mappings: '' }),
        section(0, 5, { sources: [], mappings: '' }),
      ],
    });

    expectInvalid(text, /section 1 starts at 0:5, not after the previous section/);
  });

  it('rejects an index map that also has mappings', () => {
    expectInvalid(
      JSON.stringify({ version: 3, mappings: '', sections: [] }),
      /both "sections" and "mappings"/,
    );
  });

  it('rejects an offset that is not a pair of integers', () => {
    const text = JSON.stringify({
      version: 3,
      sections: [
        { offset: { line: 0, column: '1' }, map: { version: 3, sources: [], mappings: '' } },
      ],
    });

    expectInvalid(text, /integer "line" and "column"/);
  });

  it('rejects a section that starts past the line limit', () => {
    // Flattening fills every generated line up to the offset, so a large offset in a tiny map
    // would otherwise cost seconds of CPU and gigabytes of memory.
    const text = JSON.stringify({
      version: 3,
      sections: [section(1_000_000_000, 0, { sources: ['a.js'], mappings: 'AAAA' })],
    });

    expectInvalid(text, /section 0 ends at generated line 1000000001/);
  });

  it('rejects nested sections that together pass the line limit', () => {
    const inner = (line: number) => ({
      version: 3,
      sections: [section(line, 0, { sources: ['a.js'], mappings: 'AAAA' })],
    });
    const text = JSON.stringify({
      version: 3,
      sections: [{ offset: { line: 6_000_000, column: 0 }, map: inner(6_000_000) }],
    });

    expectInvalid(text, /section 0 ends at generated line 12000001/);
  });

  it('accepts a section far down within the line limit', () => {
    const text = JSON.stringify({
      version: 3,
      sections: [section(50_000, 0, { sources: ['a.js'], mappings: 'AAAA' })],
    });

    expect(lookupOriginal(parseSourceMap(text), 50_001, 1)?.source).toBe('a.js');
  });
});
