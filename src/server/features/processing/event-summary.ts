import type { ExceptionValue, NormalizedEvent, StackFrame } from './event-types.js';
import { MAX_CHARS, truncateString } from './normalize-values.js';

export interface EventSummary {
  title: string;
  culprit: string;
  metadata: Record<string, unknown>;
  /** The crash location (file) shown under the title, or null when unknown. */
  location: string | null;
}

/** Sentry cuts the value in an error title, and a message title, to this many characters. */
const TITLE_VALUE_MAX_CHARS = 100;
const METADATA_TYPE_MAX_CHARS = 128;
const METADATA_VALUE_MAX_CHARS = 1024;

/** Function names that Sentry never treats as a crash location. */
const UNKNOWN_FUNCTIONS = new Set(['<redacted>', '<unknown>']);

/** Platforms whose culprit is the bare function name (`get_frame_culprit` in Sentry). */
const FUNCTION_CULPRIT_PLATFORMS = new Set(['objc', 'cocoa', 'native']);

/**
 * Derives the title, culprit, metadata and location of an event the way Sentry's event types
 * (`ErrorEvent`, `DefaultEvent`) and `get_culprit` do.
 */
export function summarizeEvent(event: NormalizedEvent): EventSummary {
  const culprit = computeCulprit(event);
  const exception = event.exception?.values.at(-1);

  if (exception === undefined) {
    const title = computeMessageTitle(event);
    return { title, culprit, metadata: { title }, location: null };
  }

  const metadata = extractErrorMetadata(event, exception);
  const filename = typeof metadata.filename === 'string' ? metadata.filename : null;

  return { title: computeErrorTitle(event, metadata), culprit, metadata, location: filename };
}

/** Django's `truncatechars`: cuts to `maxChars` including a trailing ellipsis. */
export function truncateChars(value: string, maxChars: number): string {
  return value.length > maxChars ? `${value.slice(0, maxChars - 1)}…` : value;
}

function firstLine(value: string): string {
  return value.split(/\r\n|\r|\n/, 1)[0] ?? '';
}

function computeMessageTitle(event: NormalizedEvent): string {
  const message = event.message?.formatted.trim() ?? '';
  return message === ''
    ? '<unlabeled event>'
    : truncateChars(firstLine(message), TITLE_VALUE_MAX_CHARS);
}

function extractErrorMetadata(
  event: NormalizedEvent,
  exception: ExceptionValue,
): Record<string, unknown> {
  const metadata: Record<string, unknown> = {
    value: truncateString(exception.value ?? '', METADATA_VALUE_MAX_CHARS),
  };

  // Sentry leaves the type out for synthetic exceptions: SDKs invent them to carry a stack trace.
  if (exception.mechanism?.synthetic !== true) {
    metadata.type = truncateString(exception.type ?? 'Error', METADATA_TYPE_MAX_CHARS);
  }

  const crashFrame = findCrashFrame(event);

  if (crashFrame !== undefined) {
    const filename = crashFrame.filename ?? crashFrame.abs_path;

    if (filename !== undefined) {
      metadata.filename = filename;
    }

    if (crashFrame.function !== undefined) {
      metadata.function = crashFrame.function;
    }
  }

  const frameMix = computeFrameMix(event);

  if (frameMix !== undefined) {
    metadata.in_app_frame_mix = frameMix;
  }

  return metadata;
}

/**
 * Builds `Type: value` from the metadata. Without a type (synthetic exceptions), Sentry falls
 * back to the crash function.
 *
 * NOTE: For a synthetic exception this prefers the event message over the function name, so
 * that `captureMessage` events with an attached stack trace keep their message as the title.
 */
function computeErrorTitle(event: NormalizedEvent, metadata: Record<string, unknown>): string {
  const type = typeof metadata.type === 'string' ? metadata.type : undefined;
  const value = typeof metadata.value === 'string' ? metadata.value : '';

  if (type !== undefined) {
    return value === ''
      ? type
      : `${type}: ${truncateChars(firstLine(value), TITLE_VALUE_MAX_CHARS)}`;
  }

  const message = event.message?.formatted ?? value;

  if (message.trim() !== '') {
    return truncateChars(firstLine(message.trim()), TITLE_VALUE_MAX_CHARS);
  }

  return typeof metadata.function === 'string' ? metadata.function : '<unknown>';
}

function stacktraceFrames(event: NormalizedEvent): StackFrame[] {
  const exceptionFrames = event.exception?.values.at(-1)?.stacktrace?.frames;

  if (exceptionFrames !== undefined && exceptionFrames.length > 0) {
    return exceptionFrames;
  }

  if (event.stacktrace !== undefined && event.stacktrace.frames.length > 0) {
    return event.stacktrace.frames;
  }

  const threads = event.threads?.values ?? [];
  return threads.length === 1 ? (threads[0]?.stacktrace?.frames ?? []) : [];
}

/** The in-app frame closest to the crash with a known function, else the closest such frame. */
function findCrashFrame(event: NormalizedEvent): StackFrame | undefined {
  let fallback: StackFrame | undefined;

  for (const frame of [...stacktraceFrames(event)].reverse()) {
    if (frame.function === undefined || UNKNOWN_FUNCTIONS.has(frame.function)) {
      continue;
    }

    if (frame.in_app === true) {
      return frame;
    }

    fallback ??= frame;
  }

  return fallback;
}

function computeFrameMix(event: NormalizedEvent): string | undefined {
  const frames = (event.exception?.values ?? []).flatMap(
    (exception) => exception.stacktrace?.frames ?? [],
  );

  if (frames.length === 0) {
    return undefined;
  }

  const inAppCount = frames.filter((frame) => frame.in_app === true).length;

  if (inAppCount === frames.length) {
    return 'in-app-only';
  }

  return inAppCount === 0 ? 'system-only' : 'mixed';
}

/** Sentry's `get_culprit`: the client culprit, else the transaction, else the crash frame. */
function computeCulprit(event: NormalizedEvent): string {
  const culprit = event.culprit ?? event.transaction ?? generateCulprit(event);
  return truncateChars(culprit, MAX_CHARS.culprit);
}

function generateCulprit(event: NormalizedEvent): string {
  const exceptions = event.exception?.values ?? [];
  let frames: StackFrame[] | undefined;

  if (exceptions.length > 0) {
    if (exceptions.at(-1)?.mechanism?.synthetic === true) {
      return '';
    }

    frames = exceptions.filter((exception) => (exception.stacktrace?.frames.length ?? 0) > 0).at(-1)
      ?.stacktrace?.frames;
  } else if (event.stacktrace !== undefined && event.stacktrace.frames.length > 0) {
    frames = event.stacktrace.frames;
  }

  const culprit = frames === undefined ? '' : stacktraceCulprit(frames, event.platform);
  return culprit !== '' ? culprit : (event.request?.url ?? '');
}

function stacktraceCulprit(frames: StackFrame[], platform: string): string {
  let fallback: string | undefined;

  for (const frame of [...frames].reverse()) {
    if (frame.in_app === true) {
      const culprit = frameCulprit(frame, platform);

      if (culprit !== '') {
        return culprit;
      }
    } else {
      fallback ??= frameCulprit(frame, platform);
    }
  }

  return fallback ?? '';
}

function frameCulprit(frame: StackFrame, eventPlatform: string): string {
  const platform = frame.platform ?? eventPlatform;

  if (FUNCTION_CULPRIT_PLATFORMS.has(platform)) {
    return frame.function ?? '?';
  }

  const location = frame.module ?? frame.filename;

  if (location === undefined || location === '') {
    return '';
  }

  if (platform === 'javascript' || platform === 'node') {
    return `${frame.function ?? '?'}(${location})`;
  }

  return `${location} in ${frame.function ?? '?'}`;
}
