import type { StackFrame } from '../../../shared/api/events';
import type {
  FrameMappingProblem,
  FrameSymbolication,
  LookupHints,
  MappingSource,
} from '../../../shared/api/sourcemaps';

/**
 * Symbolication result of one frame, read from `frame.data.symbolication`. Problem codes stay
 * strings, because a newer server may send a code that this page has no text for.
 */
export interface FrameMapping extends Omit<FrameSymbolication, 'problems'> {
  problems: string[];
}

/** Label of the mapping badge in a frame row, with the tone that picks its colour. */
export interface MappingBadge {
  label: string;
  tone: 'mapped' | 'warning' | 'unmapped';
}

/** Counts of the frames of one stack trace that symbolication looked at. */
export interface MappingSummary {
  /** Frames with symbolication data; frames that never needed a map are not counted. */
  candidates: number;
  mapped: number;
  /** Mapped frames that still have a problem, such as a map without source code. */
  mappedWithProblems: number;
}

const MAPPING_SOURCES: readonly MappingSource[] = ['debug-id', 'release', 'source-mapping-url'];

const BADGE_LABELS: Record<MappingSource, string> = {
  'debug-id': 'Mapped by debug ID',
  release: 'Mapped by release',
  'source-mapping-url': 'Mapped by sourceMappingURL',
};

/** Every problem code of the current contract. */
export const FRAME_MAPPING_PROBLEMS: readonly FrameMappingProblem[] = [
  'missing_location',
  'no_release',
  'no_debug_id_match',
  'no_file_at_url',
  'no_source_map_reference',
  'source_map_not_found',
  'artifact_unreadable',
  'invalid_source_map',
  'line_out_of_range',
  'no_mapping_at_position',
  'missing_sources_content',
];

/** Checks whether a code is one the current contract defines. */
export function isFrameMappingProblem(code: string): code is FrameMappingProblem {
  return (FRAME_MAPPING_PROBLEMS as readonly string[]).includes(code);
}

/**
 * Reads `frame.data.symbolication` with a check of every field, because the API returns the
 * stored frame data as it is. Returns null when the frame has none or it is not an object with
 * a known `status`. Fields of the wrong type are dropped, and so are problem codes that are not
 * strings.
 */
export function readFrameMapping(frame: StackFrame): FrameMapping | null {
  const value = frame.data?.symbolication;
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return null;
  }

  const record = value as Record<string, unknown>;
  if (record.status !== 'mapped' && record.status !== 'unmapped') {
    return null;
  }

  const resolvedWith = MAPPING_SOURCES.find((source) => source === record.resolvedWith);
  const problems = Array.isArray(record.problems)
    ? record.problems.filter((code): code is string => typeof code === 'string')
    : [];

  return {
    status: record.status,
    ...(resolvedWith === undefined ? {} : { resolvedWith }),
    ...optionalString(record, 'debugId'),
    ...optionalString(record, 'release'),
    ...optionalString(record, 'dist'),
    ...optionalString(record, 'minifiedFile'),
    ...optionalString(record, 'sourceMap'),
    problems: [...new Set(problems)],
    ...readHints(record.hints),
  };
}

/** Reads the lookup hints, keeping only fields of the expected types. */
function readHints(value: unknown): { hints?: LookupHints } {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return {};
  }
  const record = value as Record<string, unknown>;
  const strings = (key: string): string[] | undefined => {
    const list = record[key];
    return Array.isArray(list)
      ? list.filter((item): item is string => typeof item === 'string')
      : undefined;
  };
  const hints: LookupHints = {};
  if (typeof record.releaseFileCount === 'number' && Number.isFinite(record.releaseFileCount)) {
    hints.releaseFileCount = record.releaseFileCount;
  }
  for (const key of ['sameNameUrls', 'otherReleases', 'otherProjects'] as const) {
    const list = strings(key);
    if (list !== undefined && list.length > 0) {
      hints[key] = list;
    }
  }
  return Object.keys(hints).length === 0 ? {} : { hints };
}

/** Labels a frame's mapping: how it was mapped, or that it was not. */
export function describeMappingBadge(mapping: FrameMapping): MappingBadge {
  if (mapping.status === 'unmapped') {
    return { label: 'Not mapped', tone: 'unmapped' };
  }

  const label = mapping.resolvedWith === undefined ? 'Mapped' : BADGE_LABELS[mapping.resolvedWith];
  return { label, tone: mapping.problems.length > 0 ? 'warning' : 'mapped' };
}

/** Checks whether the frame gets a checklist: it was not mapped, or it has problems. */
export function needsChecklist(mapping: FrameMapping): boolean {
  return mapping.status === 'unmapped' || mapping.problems.length > 0;
}

/** Checks whether the symbolication data of a frame calls for a checklist. */
export function hasMappingChecklist(frame: StackFrame): boolean {
  const mapping = readFrameMapping(frame);
  return mapping !== null && needsChecklist(mapping);
}

/** Counts the mapped frames of a stack trace among those symbolication looked at. */
export function summarizeFrameMapping(frames: readonly StackFrame[]): MappingSummary {
  const summary: MappingSummary = { candidates: 0, mapped: 0, mappedWithProblems: 0 };

  for (const frame of frames) {
    const mapping = readFrameMapping(frame);
    if (mapping === null) {
      continue;
    }

    summary.candidates += 1;
    if (mapping.status === 'mapped') {
      summary.mapped += 1;
      summary.mappedWithProblems += mapping.problems.length > 0 ? 1 : 0;
    }
  }

  return summary;
}

/**
 * Words the summary above a stack trace, as "3 of 5 frames mapped". Returns null when no frame
 * had symbolication data, so that stack traces of other platforms show nothing.
 */
export function formatMappingSummary(summary: MappingSummary): string | null {
  if (summary.candidates === 0) {
    return null;
  }

  const noun = summary.candidates === 1 ? 'frame' : 'frames';
  const text = `${summary.mapped} of ${summary.candidates} ${noun} mapped`;

  if (summary.mappedWithProblems === 0) {
    return text;
  }

  const problemText =
    summary.mappedWithProblems === 1
      ? '1 mapped frame has a problem'
      : `${summary.mappedWithProblems} mapped frames have problems`;
  return `${text}, and ${problemText}`;
}

function optionalString<K extends 'debugId' | 'release' | 'dist' | 'minifiedFile' | 'sourceMap'>(
  record: Record<string, unknown>,
  key: K,
): Partial<Record<K, string>> {
  const value = record[key];
  return typeof value === 'string' && value !== '' ? ({ [key]: value } as Record<K, string>) : {};
}
