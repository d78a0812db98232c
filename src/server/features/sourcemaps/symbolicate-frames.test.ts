import { describe, expect, it } from 'vitest';

import { lineLengths, pickFunctionName, processingErrorFor } from './symbolicate-frames.js';
import { normalizeDebugId } from './symbolicate.js';

describe('pickFunctionName', () => {
  it('prefers the enclosing function', () => {
    expect(pickFunctionName('sumItems', 'callback', 'e')).toBe('sumItems');
  });

  it('uses the caller name for useless names', () => {
    expect(pickFunctionName('<anonymous>', 'onClick', 'e')).toBe('onClick');
    expect(pickFunctionName('__webpack_require__', 'load', 'e')).toBe('load');
    expect(pickFunctionName(undefined, 'load', 'e')).toBe('load');
  });

  it('falls back to the minified name', () => {
    expect(pickFunctionName(undefined, undefined, 'e')).toBe('e');
    expect(pickFunctionName('<anonymous>', '', 'e')).toBe('e');
    expect(pickFunctionName('<anonymous>', undefined, undefined)).toBe('<anonymous>');
  });
});

describe('processingErrorFor', () => {
  const FRAME = { absPath: 'https://cdn.example.com/a.min.js', lineno: 3, colno: 9 };

  it('maps each problem to its Sentry error', () => {
    expect(processingErrorFor('no_file_at_url', undefined, FRAME)).toEqual({
      type: 'js_no_source',
      url: FRAME.absPath,
    });
    expect(processingErrorFor('invalid_source_map', undefined, FRAME)?.type).toBe(
      'js_invalid_source',
    );
    expect(processingErrorFor('line_out_of_range', undefined, FRAME)).toEqual({
      type: 'js_invalid_sourcemap_location',
      url: FRAME.absPath,
      name: FRAME.absPath,
      value: { row: 3, column: 9 },
    });
    expect(
      processingErrorFor('missing_sources_content', undefined, { ...FRAME, source: 'src/a.ts' }),
    ).toEqual({ type: 'js_missing_sources_content', url: FRAME.absPath, name: 'src/a.ts' });
  });

  it('reports nothing for problems Sentry does not report', () => {
    expect(processingErrorFor('no_release', undefined, FRAME)).toBeUndefined();
    expect(processingErrorFor('no_source_map_reference', undefined, FRAME)).toBeUndefined();
    expect(processingErrorFor('missing_location', undefined, FRAME)).toBeUndefined();
  });
});

describe('normalizeDebugId', () => {
  it('lower-cases and adds dashes', () => {
    expect(normalizeDebugId('ADDCC2E4C4B959CDA7B62E3248FB170F')).toBe(
      'addcc2e4-c4b9-59cd-a7b6-2e3248fb170f',
    );
    expect(normalizeDebugId(' ADDCC2E4-C4B9-59CD-A7B6-2E3248FB170F ')).toBe(
      'addcc2e4-c4b9-59cd-a7b6-2e3248fb170f',
    );
  });
});

describe('lineLengths', () => {
  it('measures lines with every line ending', () => {
    expect(lineLengths('ab\ncde\n')).toEqual([2, 3, 0]);
    expect(lineLengths('ab\r\ncde\rf')).toEqual([2, 3, 1]);
    expect(lineLengths('')).toEqual([0]);
  });
});
