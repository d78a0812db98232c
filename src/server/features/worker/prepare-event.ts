import { computeGroupingCached } from './grouping-cache.js';
import type { CompiledGroupingRules } from '../grouping/index.js';
import type { EventMeta } from '../ingest/ingest-service.js';
import { extractTags } from '../processing/event-tags.js';
import type { NormalizedEvent } from '../processing/event-types.js';
import { summarizeEvent } from '../processing/event-summary.js';
import { normalizeEvent } from '../processing/normalize.js';

/** An event ready to be written: normalized, grouped and summarized. */
export interface PreparedEvent {
  projectId: number;
  eventId: string;
  receivedAt: number;
  /** Event time in epoch milliseconds. */
  timestamp: number;
  type: string;
  level: string;
  platform: string;
  title: string;
  culprit: string;
  metadata: Record<string, unknown>;
  /** Grouping hashes, primary first. */
  hashes: string[];
  tags: [string, string][];
  release: string | null;
  environment: string | null;
  traceId: string | null;
  userTag: string | null;
  /** The stored event as JSON; `storeEvents` compresses it once the issue is known. */
  json: Buffer;
  size: number;
}

interface QueuedEvent {
  meta: EventMeta;
  event: Record<string, unknown>;
}

// PostgreSQL text columns cannot hold U+0000, which JSON allows inside strings, so column
// values get U+FFFD in its place. The stored payload keeps the original, escaped by JSON.
const NUL = new RegExp(String.fromCharCode(0), 'g');

function toColumnText(value: string): string {
  return value.includes('\u0000') ? value.replace(NUL, '\uFFFD') : value;
}

function toColumnTextOrNull(value: string | undefined): string | null {
  return value === undefined ? null : toColumnText(value);
}

/** A queued event after normalization, before grouping. */
export interface NormalizedQueuedEvent {
  meta: EventMeta;
  event: NormalizedEvent;
}

/** Parses and normalizes a queued event record; the inbound filters read the result. */
export function normalizeQueuedEvent(receivedAt: number, body: string): NormalizedQueuedEvent {
  const { meta, event: raw } = JSON.parse(body) as QueuedEvent;
  const event = normalizeEvent(raw, {
    eventId: meta.eventId,
    receivedAt,
    sentAt: meta.sentAt,
    clientIp: meta.clientIp,
    client: meta.client,
  });
  return { meta, event };
}

/**
 * Turns a queued event record into a `PreparedEvent`. Pure CPU work, run by the worker before
 * the storage transaction.
 */
export function prepareEvent(projectId: number, receivedAt: number, body: string): PreparedEvent {
  return prepareNormalizedEvent(
    projectId,
    receivedAt,
    normalizeQueuedEvent(receivedAt, body).event,
  );
}

/**
 * Summarizes and groups a normalized event. `rules` are the project's grouping
 * rules; a matching fingerprint rule with a `title` attribute replaces the event's title.
 */
export function prepareNormalizedEvent(
  projectId: number,
  receivedAt: number,
  event: NormalizedEvent,
  rules?: CompiledGroupingRules,
): PreparedEvent {
  const summary = summarizeEvent(event);
  const isUnhandled = (event.exception?.values ?? []).some(
    (exception) => exception.mechanism?.handled === false,
  );
  if (isUnhandled) {
    summary.metadata.unhandled = true;
  }
  const grouping = computeGroupingCached(event, rules);
  if (grouping.title !== undefined) {
    summary.title = grouping.title;
  }
  const tags = extractTags(event).map(([key, value]): [string, string] => [
    toColumnText(key),
    toColumnText(value),
  ]);
  // The stored event carries Sentry's derived tags (level, release, user, ...) as the API
  // returns them, next to the summary and the grouping hashes.
  const stored = {
    ...event,
    tags,
    title: summary.title,
    culprit: summary.culprit,
    metadata: summary.metadata,
    location: summary.location,
    hashes: grouping.hashes,
  };
  const json = JSON.stringify(stored);
  const contexts = event.contexts as
    Record<string, Record<string, unknown> | undefined> | undefined;
  const traceId = contexts?.trace?.trace_id;

  return {
    projectId,
    eventId: event.event_id,
    receivedAt,
    timestamp: Math.round(event.timestamp * 1000),
    type: event.type,
    level: event.level,
    platform: event.platform,
    title: toColumnText(summary.title),
    culprit: toColumnText(summary.culprit),
    metadata: summary.metadata,
    hashes: grouping.hashes,
    tags,
    release: toColumnTextOrNull(event.release),
    environment: toColumnTextOrNull(event.environment),
    traceId: typeof traceId === 'string' ? toColumnText(traceId) : null,
    userTag: tags.find(([key]: [string, string]) => key === 'user')?.[1] ?? null,
    json: Buffer.from(json),
    size: Buffer.byteLength(json),
  };
}
