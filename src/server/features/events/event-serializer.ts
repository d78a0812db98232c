import type { EventRow } from './event-repository.js';
import { inflatePayload } from './payload-codec.js';

type Json = Record<string, unknown>;

const asObject = (value: unknown): Json | undefined =>
  typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Json)
    : undefined;
const asArray = (value: unknown): unknown[] => (Array.isArray(value) ? value : []);

/** Decompresses the stored, normalized event, with the dictionary loaded for its row. */
export function readPayload(row: Pick<EventRow, 'payload' | 'dictionary'>): Json {
  return JSON.parse(inflatePayload(row.payload, row.dictionary).toString('utf8')) as Json;
}

function serializeFrame(value: unknown): Json {
  const frame = asObject(value) ?? {};
  const lineNo = typeof frame.lineno === 'number' ? frame.lineno : null;
  const context: [number, string][] = [];

  if (lineNo !== null && typeof frame.context_line === 'string') {
    const pre = asArray(frame.pre_context).map(String);
    const post = asArray(frame.post_context).map(String);
    pre.forEach((line, index) => context.push([lineNo - pre.length + index, line]));
    context.push([lineNo, frame.context_line]);
    post.forEach((line, index) => context.push([lineNo + 1 + index, line]));
  }

  return {
    filename: frame.filename ?? null,
    absPath: frame.abs_path ?? null,
    module: frame.module ?? null,
    package: frame.package ?? null,
    platform: frame.platform ?? null,
    function: frame.function ?? null,
    rawFunction: frame.raw_function ?? null,
    lineNo,
    colNo: typeof frame.colno === 'number' ? frame.colno : null,
    inApp: frame.in_app === true,
    context,
    vars: frame.vars ?? null,
    instructionAddr: frame.instruction_addr ?? null,
    data: frame.data ?? null,
  };
}

function serializeStacktrace(value: unknown): Json | null {
  const stacktrace = asObject(value);
  if (stacktrace === undefined) {
    return null;
  }
  return {
    frames: asArray(stacktrace.frames).map(serializeFrame),
    framesOmitted: stacktrace.frames_omitted ?? null,
    registers: stacktrace.registers ?? null,
    hasSystemFrames: asArray(stacktrace.frames).some((frame) => asObject(frame)?.in_app !== true),
  };
}

function buildEntries(event: Json): Json[] {
  const entries: Json[] = [];
  const exceptions = asArray(asObject(event.exception)?.values);

  if (exceptions.length > 0) {
    const values = exceptions.map((value) => {
      const exception = asObject(value) ?? {};
      return {
        type: exception.type ?? null,
        value: exception.value ?? null,
        module: exception.module ?? null,
        mechanism: exception.mechanism ?? null,
        threadId: exception.thread_id ?? null,
        stacktrace: serializeStacktrace(exception.stacktrace),
        rawStacktrace: serializeStacktrace(exception.raw_stacktrace),
      };
    });
    const hasSystemFrames = values.some((value) => value.stacktrace?.hasSystemFrames === true);
    entries.push({ type: 'exception', data: { values, hasSystemFrames, excOmitted: null } });
  }

  const message = asObject(event.logentry) ?? asObject(event.message);
  if (message !== undefined) {
    entries.push({
      type: 'message',
      data: {
        formatted: message.formatted ?? message.message ?? null,
        message: message.message ?? null,
        params: message.params ?? null,
      },
    });
  }

  const threads = asArray(asObject(event.threads)?.values);
  if (threads.length > 0) {
    entries.push({
      type: 'threads',
      data: {
        values: threads.map((value) => {
          const { raw_stacktrace: rawStacktrace, ...thread } = asObject(value) ?? {};
          return {
            ...thread,
            stacktrace: serializeStacktrace(thread.stacktrace),
            rawStacktrace: serializeStacktrace(rawStacktrace),
          };
        }),
      },
    });
  }

  const breadcrumbs = asArray(asObject(event.breadcrumbs)?.values);
  if (breadcrumbs.length > 0) {
    entries.push({
      type: 'breadcrumbs',
      data: {
        values: breadcrumbs.map((value) => {
          const crumb = asObject(value) ?? {};
          const timestamp =
            typeof crumb.timestamp === 'number'
              ? new Date(crumb.timestamp * 1000).toISOString()
              : null;
          return { ...crumb, timestamp };
        }),
      },
    });
  }

  const request = asObject(event.request);
  if (request !== undefined) {
    entries.push({
      type: 'request',
      data: {
        url: request.url ?? null,
        method: request.method ?? null,
        query: request.query_string ?? null,
        fragment: request.fragment ?? null,
        data: request.data ?? null,
        headers: request.headers ?? null,
        cookies: request.cookies ?? null,
        env: request.env ?? null,
        inferredContentType: null,
      },
    });
  }

  if (asObject(event.debug_meta) !== undefined) {
    entries.push({ type: 'debugmeta', data: event.debug_meta });
  }

  return entries;
}

function serializeTags(event: Json): { key: string; value: string }[] {
  return asArray(event.tags)
    .filter((pair): pair is [string, string] => Array.isArray(pair) && pair.length === 2)
    .map(([key, value]) => ({ key, value }));
}

/** Builds Sentry's API event object from a stored row. */
export function serializeEvent(
  row: EventRow,
  extra: { previousEventID?: string | null; nextEventID?: string | null } = {},
): Json {
  const event = readPayload(row);
  const message = asObject(event.logentry) ?? asObject(event.message);

  return {
    id: row.eventId,
    eventID: row.eventId,
    groupID: String(row.issueId),
    projectID: String(row.projectId),
    title: event.title ?? '',
    message: message?.formatted ?? '',
    culprit: event.culprit ?? '',
    location: event.location ?? null,
    platform: event.platform ?? 'other',
    type: event.type ?? 'default',
    level: event.level ?? 'error',
    logger: event.logger ?? '',
    dateCreated: new Date(row.timestamp).toISOString(),
    dateReceived: new Date(row.receivedAt).toISOString(),
    size: row.size,
    release: event.release ?? null,
    dist: event.dist ?? null,
    environment: event.environment ?? null,
    transaction: event.transaction ?? null,
    metadata: event.metadata ?? {},
    tags: serializeTags(event),
    user: event.user ?? null,
    contexts: event.contexts ?? {},
    context: event.extra ?? {},
    sdk: event.sdk ?? null,
    packages: event.modules ?? {},
    fingerprints: event.hashes ?? [],
    errors: event.errors ?? [],
    entries: buildEntries(event),
    ...(extra.previousEventID === undefined ? {} : { previousEventID: extra.previousEventID }),
    ...(extra.nextEventID === undefined ? {} : { nextEventID: extra.nextEventID }),
  };
}
