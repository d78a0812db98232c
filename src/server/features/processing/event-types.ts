/**
 * Event shapes after normalization, in Sentry's JSON layout (snake_case keys as on the wire).
 * See https://develop.sentry.dev/sdk/data-model/event-payloads/ for the field meanings.
 */

export const EVENT_LEVELS = ['fatal', 'error', 'warning', 'info', 'debug'] as const;
export type EventLevel = (typeof EVENT_LEVELS)[number];

export type EventType = 'error' | 'default';

/** A value that came from JSON and was already trimmed to the databag limits. */
export type JsonValue =
  string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

/** A processing error recorded in the event, in Relay's `errors` format. */
export interface EventError {
  type: string;
  name?: string;
  value?: JsonValue;
}

export interface LogEntry {
  formatted: string;
  message?: string;
  params?: JsonValue[];
}

export interface StackFrame {
  filename?: string;
  abs_path?: string;
  function?: string;
  raw_function?: string;
  module?: string;
  package?: string;
  platform?: string;
  lineno?: number;
  colno?: number;
  context_line?: string;
  pre_context?: string[];
  post_context?: string[];
  in_app?: boolean;
  vars?: Record<string, JsonValue>;
  instruction_addr?: string;
  symbol?: string;
  /** Processing data, for example `sourcemap` once a source map was applied. */
  data?: Record<string, JsonValue>;
}

export interface Stacktrace {
  frames: StackFrame[];
  frames_omitted?: [number, number];
  registers?: Record<string, string>;
  snapshot?: boolean;
}

export interface Mechanism {
  type: string;
  handled?: boolean;
  synthetic?: boolean;
  description?: string;
  help_link?: string;
  source?: string;
  exception_id?: number;
  parent_id?: number;
  is_exception_group?: boolean;
  data?: Record<string, JsonValue>;
  meta?: Record<string, JsonValue>;
}

export interface ExceptionValue {
  type?: string;
  value?: string;
  module?: string;
  thread_id?: string | number;
  mechanism?: Mechanism;
  stacktrace?: Stacktrace;
}

export interface Thread {
  id?: string | number;
  name?: string;
  crashed?: boolean;
  current?: boolean;
  main?: boolean;
  state?: string;
  stacktrace?: Stacktrace;
}

export interface Breadcrumb {
  timestamp?: number;
  type: string;
  category?: string;
  message?: string;
  level: EventLevel;
  data?: Record<string, JsonValue>;
}

export interface EventUser {
  id?: string;
  email?: string;
  username?: string;
  ip_address?: string;
  name?: string;
  segment?: string;
  geo?: Record<string, string>;
  data?: Record<string, JsonValue>;
}

export interface EventRequest {
  url?: string;
  method?: string;
  query_string?: [string, string][];
  fragment?: string;
  data?: JsonValue;
  cookies?: [string, string][];
  headers?: [string, string][];
  env?: Record<string, JsonValue>;
}

export interface SdkInfo {
  name: string;
  version: string;
  integrations?: string[];
  packages?: { name: string; version: string }[];
  settings?: Record<string, JsonValue>;
}

export interface Context {
  type: string;
  [key: string]: JsonValue;
}

export interface NormalizedEvent {
  event_id: string;
  /** Epoch seconds with a fraction. */
  timestamp: number;
  /** Epoch seconds at which the server received the event. */
  received: number;
  level: EventLevel;
  platform: string;
  type: EventType;
  logger?: string;
  transaction?: string;
  server_name?: string;
  release?: string;
  dist?: string;
  environment?: string;
  /** Client-sent culprit, deprecated in the protocol but still honoured by Sentry. */
  culprit?: string;
  message?: LogEntry;
  tags: [string, string][];
  extra: Record<string, JsonValue>;
  contexts: Record<string, Context>;
  user?: EventUser;
  request?: EventRequest;
  exception?: { values: ExceptionValue[] };
  /** A stack trace sent at the top level, outside any exception or thread. */
  stacktrace?: Stacktrace;
  threads?: { values: Thread[] };
  breadcrumbs?: { values: Breadcrumb[] };
  fingerprint?: string[];
  /** Client checksum (legacy grouping override). */
  checksum?: string;
  modules?: Record<string, string>;
  sdk?: SdkInfo;
  debug_meta?: Record<string, JsonValue>;
  /** Security report interfaces (`csp`, `hpkp`, `expectct`, `expectstaple`), kept as sent. */
  security?: Record<string, Record<string, JsonValue>>;
  errors: EventError[];
}
