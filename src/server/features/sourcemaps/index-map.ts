/** Flattening of index maps: the sections' sources, names and segments joined into one map. */
import type { SourceMapParts } from './source-map-reader.js';
import {
  type DecodedMappings,
  GENERATED_COLUMN,
  NAME_INDEX,
  SEGMENT_FIELDS,
  SOURCE_INDEX,
} from './mappings.js';

/** A section of an index map, already read, with its offset in the generated file. */
export interface Section {
  line: number;
  column: number;
  parts: Omit<SourceMapParts, 'debugId' | 'file'>;
}

/**
 * Appends the sections' sources, names and segments, shifting generated positions by each
 * offset. A section's segments at or after the next section's start are dropped.
 */
export function flattenSections(sections: Section[]): Omit<SourceMapParts, 'debugId' | 'file'> {
  const sources: (string | null)[] = [];
  const sourcesContent: (string | null)[] = [];
  const names: string[] = [];
  const ignoreList: number[] = [];
  const lines: number[][] = [];

  sections.forEach((section, sectionIndex) => {
    const next = sections[sectionIndex + 1];
    const sourceOffset = sources.length;
    const nameOffset = names.length;
    const { lineStarts, segments } = section.parts.mappings;

    for (let line = 0; line + 1 < lineStarts.length; line += 1) {
      const generatedLine = section.line + line;
      if (next !== undefined && generatedLine > next.line) {
        break;
      }

      const row = (lines[generatedLine] ??= []);
      for (let index = lineStarts[line] ?? 0; index < (lineStarts[line + 1] ?? 0); index += 1) {
        const segment = Array.from(
          segments.subarray(index * SEGMENT_FIELDS, (index + 1) * SEGMENT_FIELDS),
        );
        const column = (segment[GENERATED_COLUMN] ?? 0) + (line === 0 ? section.column : 0);
        if (next !== undefined && generatedLine === next.line && column >= next.column) {
          break;
        }

        segment[GENERATED_COLUMN] = column;
        if ((segment[SOURCE_INDEX] ?? -1) !== -1) {
          segment[SOURCE_INDEX] = (segment[SOURCE_INDEX] ?? 0) + sourceOffset;
        }
        if ((segment[NAME_INDEX] ?? -1) !== -1) {
          segment[NAME_INDEX] = (segment[NAME_INDEX] ?? 0) + nameOffset;
        }
        row.push(...segment);
      }
    }

    sources.push(...section.parts.sources);
    sourcesContent.push(...section.parts.sourcesContent);
    names.push(...section.parts.names);
    ignoreList.push(...section.parts.ignoreList.map((index) => index + sourceOffset));
  });

  return {
    sources,
    sourcesContent,
    names,
    ignoreList,
    mappings: packLines(lines),
    facebookSources: undefined,
  };
}

function packLines(lines: number[][]): DecodedMappings {
  const lineStarts = new Uint32Array(Math.max(lines.length, 1) + 1);
  let total = 0;
  for (let line = 0; line < lines.length; line += 1) {
    lineStarts[line] = total / SEGMENT_FIELDS;
    total += lines[line]?.length ?? 0;
  }
  lineStarts[Math.max(lines.length, 1)] = total / SEGMENT_FIELDS;

  const segments = new Int32Array(total);
  let at = 0;
  for (let line = 0; line < lines.length; line += 1) {
    const row = lines[line] ?? [];
    segments.set(row, at);
    at += row.length;
  }

  return { lineStarts, segments };
}
