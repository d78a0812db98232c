/** Frames and the helpers that the stack line readers share. */

/** A frame as Sentry's event payload has it; `function` is `?` when unknown. */
export interface ParsedStackFrame {
  filename: string;
  function: string;
  lineno?: number;
  colno?: number;
}

export const UNKNOWN_FUNCTION = '?';

export type LineParser = (line: string) => ParsedStackFrame | undefined;

/** Builds a frame; a missing, empty or `<anonymous>` function name becomes `?`. */
export function createFrame(
  filename: string,
  name: string | undefined,
  lineno?: string,
  colno?: string,
): ParsedStackFrame {
  const frame: ParsedStackFrame = {
    filename,
    function: name === undefined || name === '' || name === '<anonymous>' ? UNKNOWN_FUNCTION : name,
  };
  if (lineno !== undefined && lineno !== '') {
    frame.lineno = Number(lineno);
  }
  if (colno !== undefined && colno !== '') {
    frame.colno = Number(colno);
  }
  return frame;
}

/**
 * Moves a Safari extension scheme back into the URL. Safari writes extension frames as
 * `name@safari-extension:(//id/file.js:1:2)`, which the V8 reader splits after the scheme.
 */
export function fixSafariExtension(frame: ParsedStackFrame): ParsedStackFrame {
  for (const scheme of ['safari-extension', 'safari-web-extension']) {
    if (frame.function.includes(scheme)) {
      const at = frame.function.indexOf('@');
      return {
        ...frame,
        function: at === -1 ? UNKNOWN_FUNCTION : frame.function.slice(0, at),
        filename: `${scheme}:${frame.filename}`,
      };
    }
  }
  return frame;
}

/**
 * Reads up to `maxNumbers` `:n` suffixes off the end of a location, as line and column. Returns
 * where the file part ends and the numbers, in order.
 */
export function readTail(text: string, maxNumbers: number): { end: number; numbers: string[] } {
  let end = text.length;
  const numbers: string[] = [];

  while (numbers.length < maxNumbers) {
    let digit = end;
    while (digit > 0 && isDigit(text.charCodeAt(digit - 1))) {
      digit -= 1;
    }
    if (digit === end || digit === 0 || text[digit - 1] !== ':') {
      break;
    }
    numbers.unshift(text.slice(digit, end));
    end = digit - 1;
  }

  return { end, numbers };
}

function isDigit(code: number): boolean {
  return code >= 48 && code <= 57;
}

/** Splits `file:line:column`, `file:line` or `file`, reading two numbers at most. */
export function splitPosition(location: string): [string, string?, string?] {
  const { end, numbers } = readTail(location, 2);
  return [location.slice(0, end), numbers[0], numbers[1]];
}
