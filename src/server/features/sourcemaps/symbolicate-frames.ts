import type {
  EventProcessingError,
  FrameMappingProblem,
  FrameSymbolication,
} from '../../../shared/api/sourcemaps.js';
import type { JsonValue, StackFrame } from '../processing/event-types.js';
import { extractContext } from './context-lines.js';
import {
  cleanSourceFilename,
  generateModule,
  isInAppSource,
  takesGeneratedModule,
} from './frame-paths.js';
import {
  findOriginalPosition,
  lookupFunctionScope,
  sourceLines,
  type OriginalPosition,
  type ParsedSourceMap,
} from './source-map.js';
import { joinPaths } from './source-urls.js';
import type { ResolvedModule } from './symbolicate-modules.js';

/** Result of looking up a frame's position in its module's map. */
export type FramePosition =
  | { kind: 'mapped'; position: OriginalPosition; source: SourceFacts }
  | { kind: 'unmapped'; problem: FrameMappingProblem };

/** Frame fields that depend only on the original source path, computed once per module. */
export interface SourceFacts {
  /** The source resolved against the module's base URL, the mapped frame's `abs_path`. */
  sourcePath: string;
  filename: string;
  inApp: boolean;
  /** Sentry's derived module name, when it derives one. */
  module: string | undefined;
}

/**
 * Looks up a frame's generated position in its module's map. A line past the mappings, or a
 * column past the end of the minified line when the minified file is known, is out of range.
 */
export function locateFrame(
  module: ResolvedModule,
  map: ParsedSourceMap,
  lineno: number,
  colno: number,
): FramePosition {
  const minifiedLine = minifiedLineLength(module, lineno);
  if (minifiedLine !== undefined && colno > minifiedLine + 1) {
    return { kind: 'unmapped', problem: 'line_out_of_range' };
  }

  const found = findOriginalPosition(map, lineno, colno);
  if (found.status === 'line_out_of_range') {
    return { kind: 'unmapped', problem: 'line_out_of_range' };
  }
  if (found.status === 'no_mapping_at_position' || found.position.source === null) {
    return { kind: 'unmapped', problem: 'no_mapping_at_position' };
  }

  const { source, line, column, name } = found.position;
  return {
    kind: 'mapped',
    position: { source, line, column, name },
    source: sourceFactsOf(module, source),
  };
}

const sourceFactsCache = new WeakMap<ResolvedModule, Map<string, SourceFacts>>();

function sourceFactsOf(module: ResolvedModule, source: string): SourceFacts {
  let bySource = sourceFactsCache.get(module);
  if (bySource === undefined) {
    bySource = new Map();
    sourceFactsCache.set(module, bySource);
  }

  let facts = bySource.get(source);
  if (facts === undefined) {
    const sourcePath = joinPaths(module.sourceBase, source);
    let derivedModule: string | undefined;
    if (source.startsWith('webpack:')) {
      derivedModule = generateModule(cleanSourceFilename(source));
    } else if (takesGeneratedModule(sourcePath)) {
      derivedModule = generateModule(sourcePath);
    }
    facts = {
      sourcePath,
      filename: cleanSourceFilename(source),
      inApp: isInAppSource(source, sourcePath),
      module: derivedModule,
    };
    bySource.set(source, facts);
  }
  return facts;
}

// Line lengths of minified files, kept with the parsed map they go with, which stays cached
// across batches while the file's text is the same string.
const minifiedLineCache = new WeakMap<ParsedSourceMap, { source: string; lengths: number[] }>();

/** Returns the length of a line of the module's minified file, when the file was read. */
function minifiedLineLength(module: ResolvedModule, lineno: number): number | undefined {
  const source = module.minifiedSource;
  if (source === undefined || module.map === undefined) {
    return undefined;
  }

  let cached = minifiedLineCache.get(module.map);
  if (cached?.source !== source) {
    cached = { source, lengths: lineLengths(source) };
    minifiedLineCache.set(module.map, cached);
  }
  return cached.lengths[lineno - 1];
}

/** Returns the length of each line, with `\n`, `\r\n` and `\r` as line ends. */
export function lineLengths(source: string): number[] {
  if (source.includes('\r')) {
    return source.split(/\r\n|\r|\n/).map((line) => line.length);
  }

  const lengths: number[] = [];
  let start = 0;
  for (let end = source.indexOf('\n'); end !== -1; end = source.indexOf('\n', start)) {
    lengths.push(end - start);
    start = end + 1;
  }
  lengths.push(source.length - start);
  return lengths;
}

/** Lines of each original source of a map, from `sourcesContent`, computed once per batch. */
export class SourceTexts {
  readonly #byMap = new Map<ParsedSourceMap, Map<string, string[] | undefined>>();

  get(map: ParsedSourceMap, source: string): string[] | undefined {
    let sources = this.#byMap.get(map);
    if (sources === undefined) {
      sources = new Map();
      this.#byMap.set(map, sources);
    }
    if (!sources.has(source)) {
      sources.set(source, sourceLines(map, source));
    }
    return sources.get(source);
  }
}

// Function names that carry no information about the code (Sentry's list). The caller's name
// for the function is used in their place.
const USELESS_FUNCTION_NAMES = new Set([
  '<anonymous>',
  '__webpack_require__',
  '__webpack_modules__',
]);

/**
 * Picks the original function name of a mapped frame. The name of the enclosing function from
 * the map comes first, unless it is useless (an anonymous function). Next comes the name the
 * calling frame used at its call site, and last the minified name the frame had. Sentry does
 * the same, except that it keeps the minified name when the enclosing function is unknown.
 */
export function pickFunctionName(
  scopeName: string | undefined,
  callerTokenName: string | undefined,
  minifiedName: string | undefined,
): string | undefined {
  if (scopeName !== undefined && scopeName !== '' && !USELESS_FUNCTION_NAMES.has(scopeName)) {
    return scopeName;
  }
  if (callerTokenName !== undefined && callerTokenName !== '') {
    return callerTokenName;
  }
  return minifiedName ?? scopeName;
}

/** Everything needed to rewrite one frame as its original. */
export interface MappedFrameInput {
  module: ResolvedModule;
  map: ParsedSourceMap;
  position: OriginalPosition;
  source: SourceFacts;
  lineno: number;
  colno: number;
  callerTokenName: string | undefined;
  /** Lines of the original source, when the map or an uploaded file had them. */
  lines: string[] | undefined;
}

/**
 * Returns the frame at its original position: `filename`, `abs_path`, `lineno`, `colno`,
 * `function`, `module` where Sentry derives one, `in_app`, and the context lines of the
 * original source. Context lines of the minified file are dropped when the original source is
 * unknown, because they would no longer match the line.
 */
export function mapFrame(frame: StackFrame, input: MappedFrameInput): StackFrame {
  const { position, source } = input;
  // The name recorded at the position is that of the function called there, not the frame's
  // own, so only the scope is used here. Without the minified file the scope is unknown.
  const scope = lookupFunctionScope(
    input.map,
    input.module.minifiedSource,
    input.lineno,
    input.colno,
  );
  let scopeName: string | undefined;
  if (scope.kind === 'named') {
    scopeName = scope.name;
  } else if (scope.kind === 'anonymous') {
    scopeName = '<anonymous>';
  }

  // Undefined properties are left out when the event is serialized.
  const mapped: StackFrame = {
    ...frame,
    function: pickFunctionName(scopeName, input.callerTokenName, frame.function),
    abs_path: source.sourcePath,
    filename: source.filename,
    lineno: position.line,
    colno: position.column,
    in_app: source.inApp,
    pre_context: undefined,
    context_line: undefined,
    post_context: undefined,
  };
  // Sentry replaces the module of webpack sources and fills in a missing one for URLs.
  if (
    source.module !== undefined &&
    (frame.module === undefined || position.source.startsWith('webpack:'))
  ) {
    mapped.module = source.module;
  }

  const context =
    input.lines === undefined
      ? undefined
      : extractContext(input.lines, position.line, position.column);
  return context === undefined ? mapped : { ...mapped, ...context };
}

/**
 * Returns a copy of a frame with what symbolication did stored at `data.symbolication`. The
 * frame itself is not changed, because it stays in the raw stack trace.
 */
export function withSymbolication(
  frame: StackFrame,
  module: ResolvedModule | undefined,
  status: FrameSymbolication['status'],
  problems: FrameMappingProblem[],
): StackFrame {
  const record: Record<string, JsonValue> = { status, problems };
  if (module !== undefined) {
    setIfDefined(record, 'resolvedWith', status === 'mapped' ? module.resolvedWith : undefined);
    setIfDefined(record, 'debugId', module.debugId);
    setIfDefined(record, 'release', module.release);
    setIfDefined(record, 'dist', module.dist === '' ? undefined : module.dist);
    setIfDefined(record, 'minifiedFile', module.minifiedFile);
    setIfDefined(record, 'sourceMap', module.sourceMap);
    if (status === 'unmapped' && module.hints !== undefined) {
      record.hints = module.hints as Record<string, JsonValue>;
    }
  }

  const data: Record<string, JsonValue> = { ...frame.data };
  if (status === 'mapped' && module !== undefined) {
    // Sentry's markers of a mapped frame. Grouping reads `sourcemap`.
    data.sourcemap = module.sourceMap ?? '';
    setIfDefined(data, 'resolved_with', module.resolvedWith);
    data.symbolicated = true;
  }
  data.symbolication = record;
  return { ...frame, data };
}

function setIfDefined(target: Record<string, JsonValue>, key: string, value: string | undefined) {
  if (value !== undefined) {
    target[key] = value;
  }
}

/**
 * Returns Sentry's event-level processing error for a frame problem, or undefined for problems
 * Sentry does not report (no release, no reference to a map, no position).
 */
export function processingErrorFor(
  problem: FrameMappingProblem,
  module: ResolvedModule | undefined,
  frame: { absPath: string; lineno: number; colno: number; source?: string },
): EventProcessingError | undefined {
  const sourceMap = module?.sourceMap ?? frame.absPath;
  switch (problem) {
    case 'no_debug_id_match':
    case 'no_file_at_url':
    case 'source_map_not_found':
    case 'artifact_unreadable':
      return { type: 'js_no_source', url: module?.failedUrl ?? frame.absPath };
    case 'invalid_source_map':
      return { type: 'js_invalid_source', url: sourceMap };
    case 'line_out_of_range':
    case 'no_mapping_at_position':
      return {
        type: 'js_invalid_sourcemap_location',
        url: frame.absPath,
        name: sourceMap,
        value: { row: frame.lineno, column: frame.colno },
      };
    case 'missing_sources_content':
      return { type: 'js_missing_sources_content', url: sourceMap, name: frame.source };
    case 'no_release':
    case 'no_source_map_reference':
    case 'missing_location':
      return undefined;
  }
}
