/**
 * Wire types of a stored event as returned by Sentry's event endpoints
 * (`.../issues/{id}/events/latest/` and the like). Entries follow the interfaces described at
 * https://develop.sentry.dev/sdk/data-model/event-payloads/ after Sentry's normalization, so
 * their fields are camelCase (`lineNo`, `inApp`) where the SDK payload is snake_case.
 *
 * Fields that an SDK may leave out are optional and nullable: depending on the server, a
 * missing value arrives as null or not at all, and readers must handle both.
 */

export interface EventTag {
  key: string;
  value: string;
}

export interface EventUser {
  id?: string | null;
  email?: string | null;
  username?: string | null;
  ip_address?: string | null;
  name?: string | null;
  data?: Record<string, unknown> | null;
}

export interface StackFrame {
  filename?: string | null;
  absPath?: string | null;
  module?: string | null;
  function?: string | null;
  lineNo?: number | null;
  colNo?: number | null;
  inApp?: boolean | null;
  /** Source lines around the frame as `[lineNo, text]` pairs. */
  context?: [number, string][] | null;
  vars?: Record<string, unknown> | null;
  platform?: string | null;
  /**
   * Free-form data that processing attached to the frame, such as `symbolication` (see
   * `FrameSymbolication` in `sourcemaps.ts`). Read it with a type check, because older events and
   * other servers may store anything here.
   */
  data?: Record<string, unknown> | null;
}

export interface Stacktrace {
  /** Frames oldest first: the last frame is where the exception was raised. */
  frames: StackFrame[];
}

export interface ExceptionMechanism {
  type: string;
  handled?: boolean | null;
  /**
   * Whether the SDK made the exception up to carry a stack trace, as @sentry/node's
   * `captureMessage` does with `attachStacktrace`. Its type and value are then not real.
   */
  synthetic?: boolean | null;
}

export interface ExceptionValue {
  type?: string | null;
  value?: string | null;
  module?: string | null;
  mechanism?: ExceptionMechanism | null;
  stacktrace?: Stacktrace | null;
  /** The minified frames as the SDK sent them, kept when source maps changed `stacktrace`. */
  rawStacktrace?: Stacktrace | null;
}

export interface ExceptionEntry {
  type: 'exception';
  data: { values: ExceptionValue[]; hasSystemFrames?: boolean };
}

export interface MessageEntry {
  type: 'message';
  data: { formatted: string; params?: unknown[] | null };
}

export interface Breadcrumb {
  /** ISO 8601 string or seconds since the epoch, as the SDK sent it. */
  timestamp?: string | number | null;
  type?: string | null;
  category?: string | null;
  level?: string | null;
  message?: string | null;
  data?: Record<string, unknown> | null;
}

export interface BreadcrumbsEntry {
  type: 'breadcrumbs';
  data: { values: Breadcrumb[] };
}

/** A list of `[name, value]` pairs, as Sentry sends headers, cookies and query strings. */
export type KeyValuePairs = [string, string][];

export interface RequestEntry {
  type: 'request';
  data: {
    url?: string | null;
    method?: string | null;
    query?: KeyValuePairs | null;
    headers?: KeyValuePairs | null;
    cookies?: KeyValuePairs | null;
    data?: unknown;
    env?: Record<string, unknown> | null;
  };
}

/**
 * The entry types the web UI renders. Events may carry other types too (`threads`, `debugmeta`,
 * `csp` and more), so a reader must skip a `type` it does not know.
 */
export type EventEntry = ExceptionEntry | MessageEntry | BreadcrumbsEntry | RequestEntry;

/** A context such as `os`, `runtime` or `browser`: its `type` plus free-form fields. */
export type EventContext = { type?: string } & Record<string, unknown>;

export interface EventSdk {
  name: string;
  version: string;
}

/** A processing error Picket recorded while normalizing or symbolicating the event. */
export interface EventProcessingError {
  type: string;
  /** The file the error is about, as in Sentry's `js_no_source` errors. */
  url?: string;
  name?: string;
  value?: unknown;
  message?: string;
}

export interface Event {
  id: string;
  eventID: string;
  groupID: string;
  projectID: string;
  title: string;
  message?: string;
  culprit?: string | null;
  location?: string | null;
  platform?: string | null;
  type: string;
  dateCreated: string;
  dateReceived: string;
  release?: string | null;
  environment?: string | null;
  dist?: string | null;
  metadata?: Record<string, unknown> | null;
  tags: EventTag[];
  user?: EventUser | null;
  contexts?: Record<string, EventContext> | null;
  /** The event's `extra` data. */
  context?: Record<string, unknown> | null;
  sdk?: EventSdk | null;
  fingerprints?: string[] | null;
  errors?: EventProcessingError[] | null;
  entries: EventEntry[];
  /** Id of the next newer event of the same issue, or null for the newest. */
  nextEventID?: string | null;
  /** Id of the next older event of the same issue, or null for the oldest. */
  previousEventID?: string | null;
}
