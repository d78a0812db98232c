import { type SourceMapSegment, TraceMap } from '@jridgewell/trace-mapping';

import { type FunctionMap, readFunctionMaps } from './function-map.js';
import {
  countLines,
  type DecodedMappings,
  findSegment,
  GENERATED_COLUMN,
  NAME_INDEX,
  ORIGINAL_COLUMN,
  ORIGINAL_LINE,
  SEGMENT_FIELDS,
  SOURCE_INDEX,
} from './mappings.js';
import { readSourceMapJson, type SourceMapParts } from './source-map-reader.js';

export { SourceMapError, type SourceMapErrorCode } from './source-map-reader.js';

/** A decoded source map, regular or indexed (sections flattened), ready for lookups. */
export interface ParsedSourceMap {
  /** The `debugId` (or older `debug_id`) of the map as a lower-case UUID, when it has a valid one. */
  debugId: string | undefined;
  /** Number of generated lines the mappings cover. */
  lineCount: number;
  /** The map's `file`, when it names one. */
  file: string | undefined;
  /** Source names resolved against `sourceRoot`; null where the map has a null entry. */
  sources: (string | null)[];
  /** Source texts by source index; null where the map has none. */
  sourcesContent: (string | null)[];
  names: string[];
  /** Indexes of `sources` that the map's `ignoreList` marks as third-party code. */
  ignoreList: number[];
  /** Enclosing-function names by original position, from React Native's `x_facebook_sources`. */
  functionMaps: (FunctionMap | undefined)[] | undefined;
  mappings: DecodedMappings;
  /** The same mappings as a trace-mapping `TraceMap`, built on first use. */
  readonly trace: TraceMap;
}

/** An original position. Lines and columns are 1-based, as in Sentry frames. */
export interface OriginalPosition {
  source: string;
  line: number;
  column: number;
  /** The original name at this position (`names` entry), when the map has one. */
  name: string | null;
}

/** A mapped position with everything the map records for it. Lines and columns are 1-based. */
export interface MappedPosition {
  /** The source name, or null where the map's `sources` entry is null. */
  source: string | null;
  sourceIndex: number;
  line: number;
  column: number;
  name: string | null;
  /** Start of the generated segment that matched. */
  generatedLine: number;
  generatedColumn: number;
}

/**
 * The outcome of a lookup. `line_out_of_range` means the line is below 1 or past the last line
 * the mappings cover. `no_mapping_at_position` means the line exists, but no segment with an
 * original position covers the column.
 */
export type PositionLookup =
  | { status: 'mapped'; position: MappedPosition }
  | { status: 'line_out_of_range'; lineCount: number }
  | { status: 'no_mapping_at_position' };

/** The segment a column between two segments resolves to; see `findOriginalPosition`. */
export type LookupBias = 'greatest-lower-bound' | 'least-upper-bound';

class DecodedSourceMap implements ParsedSourceMap {
  readonly debugId: string | undefined;
  readonly lineCount: number;
  readonly file: string | undefined;
  readonly sources: (string | null)[];
  readonly sourcesContent: (string | null)[];
  readonly names: string[];
  readonly ignoreList: number[];
  readonly functionMaps: (FunctionMap | undefined)[] | undefined;
  readonly mappings: DecodedMappings;
  #trace: TraceMap | undefined;

  constructor(parts: SourceMapParts, functionMaps: (FunctionMap | undefined)[] | undefined) {
    this.debugId = parts.debugId;
    this.lineCount = countLines(parts.mappings);
    this.file = parts.file;
    this.sources = parts.sources;
    this.sourcesContent = parts.sourcesContent;
    this.names = parts.names;
    this.ignoreList = parts.ignoreList;
    this.functionMaps = functionMaps;
    this.mappings = parts.mappings;
  }

  get trace(): TraceMap {
    this.#trace ??= new TraceMap({
      version: 3,
      file: this.file ?? null,
      names: this.names,
      sources: this.sources.map((source) => source ?? ''),
      sourcesContent: this.sourcesContent,
      mappings: toSegmentArrays(this.mappings),
    });

    return this.#trace;
  }
}

function toSegmentArrays(mappings: DecodedMappings): SourceMapSegment[][] {
  const lines: SourceMapSegment[][] = [];
  const { lineStarts, segments } = mappings;

  for (let line = 0; line + 1 < lineStarts.length; line += 1) {
    const row: SourceMapSegment[] = [];
    for (let index = lineStarts[line] ?? 0; index < (lineStarts[line + 1] ?? 0); index += 1) {
      const at = index * SEGMENT_FIELDS;
      const field = (offset: number): number => segments[at + offset] ?? -1;
      if (field(SOURCE_INDEX) === -1) {
        row.push([field(GENERATED_COLUMN)]);
      } else if (field(NAME_INDEX) === -1) {
        row.push([
          field(GENERATED_COLUMN),
          field(SOURCE_INDEX),
          field(ORIGINAL_LINE),
          field(ORIGINAL_COLUMN),
        ]);
      } else {
        row.push([
          field(GENERATED_COLUMN),
          field(SOURCE_INDEX),
          field(ORIGINAL_LINE),
          field(ORIGINAL_COLUMN),
          field(NAME_INDEX),
        ]);
      }
    }
    lines.push(row);
  }

  return lines;
}

/**
 * Parses and validates a source map from its JSON text, as ECMA-426 defines it. The checks are
 * version 3, the types of `sources`, `sourcesContent`, `names` and `ignoreList`, valid VLQ
 * `mappings` with indexes in bounds, and ordered sections with numeric offsets in index maps.
 * Sections are flattened into one set of mappings. A `)]}'` first line is skipped.
 * @throws SourceMapError when the text is not a valid version 3 source map.
 */
export function parseSourceMap(text: string): ParsedSourceMap {
  const parts = readSourceMapJson(text);
  return new DecodedSourceMap(parts, readFunctionMaps(parts.facebookSources));
}

/**
 * Looks up the original position of a generated position (1-based line and column, as frames
 * carry them), or the reason there is none. The default `greatest-lower-bound` takes the last
 * segment at or before the column on the same line, which is what a stack frame needs, and
 * `least-upper-bound` takes the first at or after it.
 */
export function findOriginalPosition(
  map: ParsedSourceMap,
  line: number,
  column: number,
  bias: LookupBias = 'greatest-lower-bound',
): PositionLookup {
  if (!Number.isInteger(line) || line < 1 || line > map.lineCount) {
    return { status: 'line_out_of_range', lineCount: map.lineCount };
  }

  const generatedColumn = Number.isInteger(column) ? Math.max(column - 1, 0) : 0;
  const index = findSegment(map.mappings, line - 1, generatedColumn, bias);
  if (index === -1) {
    return { status: 'no_mapping_at_position' };
  }

  const at = index * SEGMENT_FIELDS;
  const segments = map.mappings.segments;
  const sourceIndex = segments[at + SOURCE_INDEX] ?? -1;
  if (sourceIndex === -1) {
    return { status: 'no_mapping_at_position' };
  }

  const nameIndex = segments[at + NAME_INDEX] ?? -1;
  return {
    status: 'mapped',
    position: {
      source: map.sources[sourceIndex] ?? null,
      sourceIndex,
      line: (segments[at + ORIGINAL_LINE] ?? 0) + 1,
      column: (segments[at + ORIGINAL_COLUMN] ?? 0) + 1,
      name: nameIndex === -1 ? null : (map.names[nameIndex] ?? null),
      generatedLine: line,
      generatedColumn: (segments[at + GENERATED_COLUMN] ?? 0) + 1,
    },
  };
}

/**
 * Looks up the original position of a generated position (1-based line and column, as frames
 * carry them). Returns undefined when the map has no segment at or before the column, when the
 * line is out of range, and when the segment's source is null. `findOriginalPosition` returns
 * which of these cases applies.
 */
export function lookupOriginal(
  map: ParsedSourceMap,
  line: number,
  column: number,
): OriginalPosition | undefined {
  const found = findOriginalPosition(map, line, column);
  if (found.status !== 'mapped' || found.position.source === null) {
    return undefined;
  }

  const { source, line: originalLine, column: originalColumn, name } = found.position;
  return { source, line: originalLine, column: originalColumn, name };
}

/**
 * Returns the lines of an original source from `sourcesContent`, or undefined without it. The
 * source is a name as returned by a lookup (the first source of that name wins) or an index
 * into `sources`, which also reaches sources whose name is null.
 */
export function sourceLines(map: ParsedSourceMap, source: string | number): string[] | undefined {
  const index = typeof source === 'number' ? source : map.sources.indexOf(source);
  const content = index < 0 ? undefined : map.sourcesContent[index];
  return content === null || content === undefined ? undefined : content.split(/\r\n|\r|\n/);
}

/** Says whether the map's `ignoreList` marks a source (by name or index) as third-party code. */
export function isIgnoredSource(map: ParsedSourceMap, source: string | number): boolean {
  const index = typeof source === 'number' ? source : map.sources.indexOf(source);
  return index >= 0 && map.ignoreList.includes(index);
}

export {
  buildScopeIndex,
  lookupFunctionScope,
  originalFunctionName,
  type ScopeIndex,
  type ScopeLookup,
} from './function-name.js';
