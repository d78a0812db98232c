/**
 * Reads the JSON of a source map and checks it against ECMA-426
 * (https://tc39.es/ecma426/#sec-source-map-format). Index maps are flattened: each section's
 * sources, names and segments are appended, shifted by the section's offset.
 */
import { flattenSections, type Section } from './index-map.js';
import {
  countLines,
  type DecodedMappings,
  decodeMappings,
  InvalidMappingsError,
} from './mappings.js';

/** The reason a source map could not be read. */
export type SourceMapErrorCode = 'invalid_json' | 'invalid_version' | 'invalid_map';

export class SourceMapError extends Error {
  readonly code: SourceMapErrorCode;

  constructor(code: SourceMapErrorCode, message: string) {
    super(message);
    this.name = 'SourceMapError';
    this.code = code;
  }
}

/** The validated content of a map, regular or flattened from sections. */
export interface SourceMapParts {
  debugId: string | undefined;
  file: string | undefined;
  sources: (string | null)[];
  sourcesContent: (string | null)[];
  names: string[];
  ignoreList: number[];
  mappings: DecodedMappings;
  /** The raw `x_facebook_sources` of a regular map, checked later and only loosely. */
  facebookSources: unknown;
}

/** Index maps may nest sections; deeper nesting than this is rejected. */
const MAX_SECTION_DEPTH = 4;

/**
 * Last generated line (1-based) that a section of an index map may reach. Flattening allocates
 * every line up to a section's offset, so without a limit a few bytes of JSON could make the
 * parser fill gigabytes. NOTE: the limit is an estimate of what no real bundle reaches.
 */
const MAX_SECTION_END_LINE = 10_000_000;

const UUID_PATTERN =
  /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Writes a JSON value for an error message; `JSON.stringify` gives undefined for a missing one. */
function describeValue(value: unknown): string {
  return value === undefined ? 'missing' : JSON.stringify(value);
}

function invalid(message: string): never {
  throw new SourceMapError('invalid_map', message);
}

/**
 * Parses the JSON text of a source map and validates it.
 * @throws SourceMapError when the text is not JSON or not a valid version 3 map.
 */
export function readSourceMapJson(text: string): SourceMapParts {
  let json: unknown;
  try {
    json = JSON.parse(text.startsWith(")]}'") ? text.slice(text.indexOf('\n') + 1) : text);
  } catch {
    throw new SourceMapError('invalid_json', 'The source map is not valid JSON');
  }

  if (!isObject(json)) {
    invalid('The source map is not a JSON object');
  }

  const parts = readMap(json, 0);
  return { ...parts, debugId: readDebugId(json.debugId ?? json.debug_id) };
}

/** Returns a debug ID as a lower-case hyphenated UUID, or undefined when it is not a UUID. */
export function readDebugId(value: unknown): string | undefined {
  const match = typeof value === 'string' ? UUID_PATTERN.exec(value) : null;
  return match === null ? undefined : match.slice(1, 6).join('-').toLowerCase();
}

function readMap(json: JsonObject, depth: number): Omit<SourceMapParts, 'debugId'> {
  if (json.version !== 3) {
    throw new SourceMapError(
      'invalid_version',
      `The source map's version is ${describeValue(json.version)}, but only the number 3 is supported`,
    );
  }

  const file = readOptionalString(json, 'file');
  const parts = json.sections === undefined ? readRegularMap(json) : readIndexMap(json, depth);
  return { ...parts, file };
}

function readOptionalString(json: JsonObject, key: string): string | undefined {
  const value = json[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (typeof value !== 'string') {
    invalid(`The source map's "${key}" is not a string`);
  }
  return value;
}

function readStringList(
  json: JsonObject,
  key: string,
  allowNull: boolean,
): (string | null)[] | undefined {
  const value = json[key];
  if (value === undefined || value === null) {
    return undefined;
  }
  if (!Array.isArray(value)) {
    invalid(`The source map's "${key}" is not a list`);
  }

  return value.map((entry: unknown, index) => {
    if (typeof entry === 'string' || (allowNull && entry === null)) {
      return entry;
    }
    return invalid(
      `The source map's "${key}" entry ${index} is ${describeValue(entry)}, not a string${allowNull ? ' or null' : ''}`,
    );
  });
}

/**
 * Joins a source with `sourceRoot` as ECMA-426 does before URL resolution: the root gets a
 * trailing slash and is prepended, unless the source is an absolute URL.
 */
function resolveSource(sourceRoot: string | undefined, source: string | null): string | null {
  if (source === null || sourceRoot === undefined || sourceRoot === '') {
    return source;
  }
  if (/^[a-z][a-z0-9+.-]*:/i.test(source)) {
    return source;
  }
  return `${sourceRoot.endsWith('/') ? sourceRoot : `${sourceRoot}/`}${source}`;
}

function readRegularMap(json: JsonObject): Omit<SourceMapParts, 'debugId' | 'file'> {
  const rawSources = readStringList(json, 'sources', true);
  if (rawSources === undefined) {
    invalid('The source map has no "sources" list');
  }

  const sourceRoot = readOptionalString(json, 'sourceRoot');
  const sourcesContent = readStringList(json, 'sourcesContent', true) ?? [];
  const names = (readStringList(json, 'names', false) ?? []) as string[];
  const ignoreList = readIgnoreList(json, rawSources.length);

  if (typeof json.mappings !== 'string') {
    invalid(
      json.mappings === undefined
        ? 'The source map has no "mappings" string'
        : `The source map's "mappings" is ${typeof json.mappings}, not a string`,
    );
  }

  let mappings: DecodedMappings;
  try {
    mappings = decodeMappings(json.mappings, rawSources.length, names.length);
  } catch (error) {
    if (error instanceof InvalidMappingsError) {
      invalid(`The source map has ${error.message}`);
    }
    throw error;
  }

  return {
    sources: rawSources.map((source) => resolveSource(sourceRoot, source)),
    sourcesContent: rawSources.map((_source, index) => sourcesContent[index] ?? null),
    names,
    ignoreList,
    mappings,
    facebookSources: json.x_facebook_sources,
  };
}

/** Reads `ignoreList`, or Chrome's earlier `x_google_ignoreList` when it is absent. */
function readIgnoreList(json: JsonObject, sourceCount: number): number[] {
  const key = json.ignoreList === undefined ? 'x_google_ignoreList' : 'ignoreList';
  const value = json[key];
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    invalid(`The source map's "${key}" is not a list`);
  }

  return value.map((entry: unknown) => {
    if (typeof entry !== 'number' || !Number.isInteger(entry)) {
      return invalid(`The source map's "${key}" holds ${describeValue(entry)}, not an index`);
    }
    if (entry < 0 || entry >= sourceCount) {
      return invalid(
        `The source map's "${key}" holds ${entry}, outside the ${sourceCount} sources`,
      );
    }
    return entry;
  });
}

function readIndexMap(json: JsonObject, depth: number): Omit<SourceMapParts, 'debugId' | 'file'> {
  if (depth >= MAX_SECTION_DEPTH) {
    invalid(`The index map nests sections deeper than ${MAX_SECTION_DEPTH} levels`);
  }
  if (json.mappings !== undefined) {
    invalid('The index map has both "sections" and "mappings"');
  }
  if (!Array.isArray(json.sections)) {
    invalid('The index map\'s "sections" is not a list');
  }

  const sections = json.sections.map((raw: unknown, index): Section => {
    if (!isObject(raw)) {
      return invalid(`The index map's section ${index} is not an object`);
    }

    const offset = raw.offset;
    if (!isObject(offset) || !isPosition(offset.line) || !isPosition(offset.column)) {
      return invalid(
        `The index map's section ${index} needs an "offset" with integer "line" and "column"`,
      );
    }
    if (!isObject(raw.map)) {
      return invalid(`The index map's section ${index} has no embedded "map" object`);
    }

    const parts = readMap(raw.map, depth + 1);
    const endLine = offset.line + countLines(parts.mappings);
    if (endLine > MAX_SECTION_END_LINE) {
      return invalid(
        `The index map's section ${index} ends at generated line ${endLine}, past the limit of ${MAX_SECTION_END_LINE}`,
      );
    }
    return { line: offset.line, column: offset.column, parts };
  });

  sections.forEach((section, index) => {
    const previous = sections[index - 1];
    if (
      previous !== undefined &&
      (section.line < previous.line ||
        (section.line === previous.line && section.column <= previous.column))
    ) {
      invalid(
        `The index map's section ${index} starts at ${section.line}:${section.column}, not after the previous section`,
      );
    }
  });

  return flattenSections(sections);
}

function isPosition(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0;
}
