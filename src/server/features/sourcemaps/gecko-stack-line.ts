/**
 * Reader for SpiderMonkey and JavaScriptCore stack lines (Firefox, Safari, React Native on JSC),
 * `function@location` or `location`.
 */
import {
  createFrame,
  fixSafariExtension,
  type LineParser,
  type ParsedStackFrame,
  readTail,
} from './stack-frames.js';

/** Characters of an absolute path location, `/[\w\-. /=]+`. */
const PATH_CHARACTER = /[\w\-. /=]/;
const SCHEME_CHARACTER = /[-a-z]/i;

/** One way to read the end of a line: where the file ends, and the line and column after it. */
interface TailReading {
  end: number;
  lineno?: string;
  colno?: string;
  /** The file part may be a bundle or numbered script: ends with `bundle` or a digit and `.js`. */
  scriptEnding: number;
  /** Last `@` before `end`, or -1; a bundle or script location starts after it. */
  lastAt: number;
  /** Start of the run of path characters that ends at `end`. */
  pathRunStart: number;
}

function readTailings(text: string): TailReading[] {
  const readings: TailReading[] = [];
  for (let count = 0; count <= 2; count += 1) {
    const { end, numbers } = readTail(text, count);
    if (numbers.length < count) {
      break;
    }
    let pathRunStart = end;
    while (pathRunStart > 0 && PATH_CHARACTER.test(text[pathRunStart - 1] ?? '')) {
      pathRunStart -= 1;
    }
    const file = text.slice(Math.max(end - 6, 0), end);
    readings.push({
      end,
      lineno: numbers[0],
      colno: numbers[1],
      scriptEnding: /bundle$/i.test(file) ? 6 : /\d\.js$/i.test(file) ? 4 : -1,
      lastAt: text.lastIndexOf('@', end - 1),
      pathRunStart,
    });
  }
  return readings;
}

/**
 * Reads a SpiderMonkey or JavaScriptCore location starting at `start`. The forms tried, in
 * order, are a URL with an optional scheme, `[native code]`, a bundle or numbered script, and an
 * absolute path. A URL reads as many `:n` suffixes as line and column as it can, and the other
 * forms as few. Every test takes constant time.
 */
function readGeckoLocation(
  text: string,
  start: number,
  schemeRunEnd: Int32Array,
  tails: TailReading[],
): TailReading | undefined {
  const schemeEnd = schemeRunEnd[start] ?? start;
  if (text[schemeEnd] === ':' && text[schemeEnd + 1] === '/') {
    for (let index = tails.length - 1; index >= 0; index -= 1) {
      const tail = tails[index];
      if (tail !== undefined && tail.end >= schemeEnd + 2) {
        return tail;
      }
    }
  }

  for (const tail of tails) {
    if (tail.end - start === 13 && text.slice(start, tail.end).toLowerCase() === '[native code]') {
      return tail;
    }
  }
  for (const tail of tails) {
    if (tail.scriptEnding !== -1 && start > tail.lastAt && tail.end - start >= tail.scriptEnding) {
      return tail;
    }
  }
  for (const tail of tails) {
    if (text[start] === '/' && start + 1 >= tail.pathRunStart && tail.end - start >= 2) {
      return tail;
    }
  }
  return undefined;
}

/** Firefox names eval'd code `http://x/a.js line 26 > eval line 2 > eval`. */
const GECKO_EVAL = /(\S+) line (\d+)(?: > eval line \d+)* > eval/i;

/**
 * SpiderMonkey and JavaScriptCore lines, `function@location` or `location`; old Firefox adds
 * the arguments, `foo(1)@location`. The function is the shortest prefix after which the rest,
 * less the optional `(arguments)` and `@`, reads as a location.
 */
export const parseGeckoLine: LineParser = (line) => {
  const text = line.trim();
  const length = text.length;
  const tails = readTailings(text);
  const schemeRunEnd = new Int32Array(length + 1).fill(length);
  for (let index = length - 1; index >= 0; index -= 1) {
    schemeRunEnd[index] = SCHEME_CHARACTER.test(text[index] ?? '')
      ? (schemeRunEnd[index + 1] ?? index)
      : index;
  }

  // For every position: where the location starts when the function (and its arguments) end
  // there, skipping an `@` when the rest then reads as a location, and which reading applies.
  const locationStart = new Int32Array(length + 1).fill(-1);
  const locationTail: (TailReading | undefined)[] = [];
  for (let start = length; start >= 0; start -= 1) {
    for (const from of text[start] === '@' ? [start + 1, start] : [start]) {
      const tail = readGeckoLocation(text, from, schemeRunEnd, tails);
      if (tail !== undefined) {
        locationStart[start] = from;
        locationTail[start] = tail;
        break;
      }
    }
  }

  // The first `)` at or after each position that a location follows.
  const closeBeforeLocation = new Int32Array(length + 1).fill(-1);
  for (let index = length - 1; index >= 0; index -= 1) {
    closeBeforeLocation[index] =
      text[index] === ')' && locationStart[index + 1] !== -1
        ? index
        : (closeBeforeLocation[index + 1] ?? -1);
  }

  for (let nameEnd = 0; nameEnd <= length; nameEnd += 1) {
    const close = text[nameEnd] === '(' ? (closeBeforeLocation[nameEnd] ?? -1) : -1;
    const end = close === -1 ? nameEnd : close + 1;
    const start = locationStart[end] ?? -1;
    const tail = locationTail[end];
    if (start !== -1 && tail !== undefined) {
      return geckoFrame(
        text.slice(0, nameEnd),
        text.slice(start, tail.end),
        tail.lineno,
        tail.colno,
      );
    }
  }

  return undefined;
};

function geckoFrame(name: string, file: string, lineno?: string, colno?: string): ParsedStackFrame {
  // Eval'd code reports the line of the outermost eval call and no column.
  const evalOrigin = file.includes(' > eval') ? GECKO_EVAL.exec(file) : null;
  if (evalOrigin !== null) {
    return createFrame(evalOrigin[1] ?? file, name === '' ? 'eval' : name, evalOrigin[2]);
  }
  return fixSafariExtension(createFrame(file, name, lineno, colno));
}
