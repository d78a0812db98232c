/**
 * Reader for V8 stack lines, `at function (location)` or `at location`. IE 10+ and WinJS write
 * the same shape, and Hermes writes `(address at file:line:column)`.
 */
import { createFrame, fixSafariExtension, type LineParser, splitPosition } from './stack-frames.js';

/**
 * Splits the text after `at ` into function and location. A function may contain parentheses
 * itself (`I.e.fn.(anonymous function) [as index] (url)`), so the first `)` followed by ` (`,
 * or by an `[alias]` and ` (`, ends it. Without such a `)`, the first `(` ends it. Returns
 * undefined when the text has no parenthesis, so that all of it is the location.
 */
function splitV8Function(body: string): { name: string; location: string } | undefined {
  const opensAt = (index: number): number =>
    body.startsWith('(', index) ? index + 1 : body.startsWith(' (', index) ? index + 2 : -1;

  for (let close = body.indexOf(')', 1); close !== -1; close = body.indexOf(')', close + 1)) {
    if (body.startsWith(' [', close + 1)) {
      for (
        let bracket = body.lastIndexOf(']');
        bracket >= close + 4;
        bracket = body.lastIndexOf(']', bracket - 1)
      ) {
        const open = opensAt(bracket + 1);
        if (open !== -1) {
          return { name: body.slice(0, bracket + 1), location: body.slice(open) };
        }
      }
    }

    const open = opensAt(close + 1);
    if (open !== -1) {
      return { name: body.slice(0, close + 1), location: body.slice(open) };
    }
  }

  const paren = body.indexOf('(');
  if (paren === -1) {
    return undefined;
  }
  const name = body.slice(0, paren);
  return { name: name.endsWith(' ') ? name.slice(0, -1) : name, location: body.slice(paren + 1) };
}

/** The origin of eval'd code, `eval at foo (http://x/a.js:1:2), <anonymous>:3:4`. */
const V8_EVAL_ORIGIN = /\((\S*):(\d+):(\d+)\)/;

/**
 * V8 lines, `at function (location)` or `at location`. Also covers IE 10+ and WinJS, which
 * write the same shape, and Hermes's `(address at file:line:column)`.
 */
export const parseV8Line: LineParser = (line) => {
  const prefix = /^\s*at /i.exec(line);
  if (prefix === null) {
    return undefined;
  }
  const body = line.slice(prefix[0].length).trimEnd();

  // A module loaded from a data URI: the URL is the code itself, so only its type is kept.
  const dataUri = body.indexOf('(data:', 1);
  const mimeEnd = dataUri === -1 ? -1 : body.indexOf(',', dataUri + 6);
  if (mimeEnd > dataUri + 6) {
    const name = body.slice(0, dataUri);
    return {
      filename: `<data:${body.slice(dataUri + 6, mimeEnd)}>`,
      function: name.endsWith(' ') ? name.slice(0, -1) : name,
    };
  }

  if (!/\s/.test(body) && /:\d+:\d+$/.test(body)) {
    const [file, lineno, colno] = splitPosition(body);
    return createFrame(file, undefined, lineno, colno);
  }

  const split = splitV8Function(body);
  let location = split?.location ?? body;
  if (split !== undefined && location.startsWith('address at ')) {
    location = location.slice('address at '.length);
  }
  if (location.startsWith('async ')) {
    location = location.slice('async '.length);
  }
  if (location.endsWith(')')) {
    location = location.slice(0, -1);
  }

  let [file, lineno, colno] = splitPosition(location);
  if (file.startsWith('eval')) {
    const origin = V8_EVAL_ORIGIN.exec(file);
    if (origin !== null) {
      [, file = '', lineno, colno] = origin;
    }
  }

  return fixSafariExtension(createFrame(file, split?.name, lineno, colno));
};
