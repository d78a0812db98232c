/**
 * React Native's function maps: Metro writes `x_facebook_sources` into its maps (and Hermes
 * keeps it), one entry per source, each `[{names, mappings}]`. The mappings list where each
 * function starts in the original source, as VLQ segments of column, name index and line
 * deltas. The column restarts at 0 after each `;`, and the line starts at 1 and only moves by
 * the deltas. Format as read by metro-symbolicate's `SourceMetadataMapConsumer`.
 */

/** Function start positions of one source, sorted, with the name of the function from there on. */
export interface FunctionMap {
  /** Original lines (1-based) of the starts. */
  lines: Int32Array;
  /** Original columns (0-based) of the starts. */
  columns: Int32Array;
  names: string[];
  /** Index into `names` per start. */
  nameIndexes: Int32Array;
}

const BASE64_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/**
 * Reads `x_facebook_sources`. An entry that is malformed reads as undefined rather than making
 * the whole map invalid, because the function names are an extra on top of the mappings.
 */
export function readFunctionMaps(raw: unknown): (FunctionMap | undefined)[] | undefined {
  if (!Array.isArray(raw)) {
    return undefined;
  }

  return raw.map((entry: unknown) => {
    const first: unknown = Array.isArray(entry) ? entry[0] : undefined;
    if (typeof first !== 'object' || first === null) {
      return undefined;
    }

    const { names, mappings } = first as { names?: unknown; mappings?: unknown };
    if (
      !Array.isArray(names) ||
      !names.every((name) => typeof name === 'string') ||
      typeof mappings !== 'string'
    ) {
      return undefined;
    }

    return decodeFunctionMap(names, mappings);
  });
}

function decodeFunctionMap(names: string[], mappings: string): FunctionMap | undefined {
  const lines: number[] = [];
  const columns: number[] = [];
  const nameIndexes: number[] = [];
  let line = 1;
  let nameIndex = 0;

  for (const group of mappings.split(';')) {
    let column = 0;
    for (const segment of group.split(',')) {
      if (segment === '') {
        continue;
      }

      const values = decodeVlqSegment(segment);
      if (values === undefined || values.length < 1) {
        return undefined;
      }

      column += values[0] ?? 0;
      nameIndex += values[1] ?? 0;
      line += values[2] ?? 0;
      lines.push(line);
      columns.push(column);
      nameIndexes.push(nameIndex);
    }
  }

  return {
    lines: Int32Array.from(lines),
    columns: Int32Array.from(columns),
    names,
    nameIndexes: Int32Array.from(nameIndexes),
  };
}

function decodeVlqSegment(segment: string): number[] | undefined {
  const values: number[] = [];
  let value = 0;
  let shift = 0;

  for (const character of segment) {
    const digit = BASE64_ALPHABET.indexOf(character);
    if (digit === -1 || shift > 30) {
      return undefined;
    }

    value += (digit & 31) * 2 ** shift;
    if ((digit & 32) === 0) {
      values.push(value % 2 === 1 ? -Math.floor(value / 2) : Math.floor(value / 2));
      value = 0;
      shift = 0;
    } else {
      shift += 5;
    }
  }

  return shift === 0 ? values : undefined;
}

/**
 * Returns the name of the function enclosing an original position (1-based line, 0-based
 * column): the last function start at or before it. Undefined before the first start.
 */
export function findFunctionName(
  map: FunctionMap,
  line: number,
  column: number,
): string | undefined {
  let low = 0;
  let high = map.lines.length;

  while (low < high) {
    const middle = (low + high) >>> 1;
    const middleLine = map.lines[middle] ?? 0;
    const before =
      middleLine < line || (middleLine === line && (map.columns[middle] ?? 0) <= column);
    if (before) {
      low = middle + 1;
    } else {
      high = middle;
    }
  }

  const found = low - 1;
  return found < 0 ? undefined : map.names[map.nameIndexes[found] ?? -1];
}
