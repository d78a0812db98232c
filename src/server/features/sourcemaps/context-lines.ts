/** Number of source lines kept before and after the frame's line. */
export const CONTEXT_LINES = 5;

const MAX_LINE_CHARS = 150;
const TRIMMED_LINE_CHARS = 140;
const CHARS_BEFORE_COLUMN = 60;
const EDGE_CHARS = 5;

/**
 * Shortens a line longer than 150 characters to a window of 140 around the column, marking each
 * cut with `{snip}`, as Sentry does for context lines. A window within five characters of
 * either end is widened to reach it.
 */
export function trimContextLine(line: string, column = 0): string {
  if (line.length <= MAX_LINE_CHARS) {
    return line;
  }

  const length = line.length;
  let start = Math.max(Math.min(column, length) - CHARS_BEFORE_COLUMN, 0);
  if (start < EDGE_CHARS) {
    start = 0;
  }
  let end = Math.min(start + TRIMMED_LINE_CHARS, length);
  if (end > length - EDGE_CHARS) {
    end = length;
  }
  if (end === length) {
    start = Math.max(end - TRIMMED_LINE_CHARS, 0);
  }

  const prefix = start > 0 ? '{snip} ' : '';
  const suffix = end < length ? ' {snip}' : '';
  return `${prefix}${line.slice(start, end)}${suffix}`;
}

/** The lines around a frame's position. */
export interface FrameContext {
  pre_context: string[];
  context_line: string;
  post_context: string[];
}

/**
 * Returns the frame's line of a source and five lines on each side, each trimmed as in
 * {@link trimContextLine}. `lineno` and `colno` are 1-based. Returns undefined when the line is
 * not in the source.
 */
export function extractContext(
  lines: readonly string[],
  lineno: number,
  colno: number,
): FrameContext | undefined {
  const index = lineno - 1;
  const line = lines[index];
  if (index < 0 || line === undefined) {
    return undefined;
  }

  const around = (from: number, to: number) =>
    lines.slice(Math.max(from, 0), Math.max(to, 0)).map((text) => trimContextLine(text));

  return {
    pre_context: around(index - CONTEXT_LINES, index),
    context_line: trimContextLine(line, colno),
    post_context: around(index + 1, index + 1 + CONTEXT_LINES),
  };
}

/** Splits source text into lines at `\n`, `\r\n` and `\r`. */
export function splitLines(source: string): string[] {
  return source.split(/\r\n|\r|\n/);
}
