import type { AnyValue, InstrumentationScope, KeyValue } from './otlp-model.js';

/** A typed attribute of Sentry's span and log protocols. */
export interface SentryAttribute {
  type: 'string' | 'boolean' | 'integer' | 'double';
  value: string | boolean | number;
}

export type SentryAttributes = Record<string, SentryAttribute>;

/** Attributes of one span or log with their size, as {@link attributeBytes} counts it. */
export interface SizedAttributes {
  attributes: SentryAttributes;
  bytes: number;
}

/**
 * Maximum UTF-8 bytes of one string attribute value; longer values are cut. The bound keeps a
 * resource attribute, which every span and log copies, from multiplying the size of a request.
 */
export const MAX_ATTRIBUTE_VALUE_BYTES = 8 * 1024;

/**
 * Maximum bytes of the attributes of one span or log (keys and values). Attributes that would
 * take it further are left out. The few that {@link setIfMissing} derives are not counted, and
 * each of them is cut to {@link MAX_ATTRIBUTE_VALUE_BYTES}.
 */
export const MAX_ITEM_ATTRIBUTE_BYTES = 64 * 1024;

// Bytes counted for a value that is not a string, and for each attribute's type and framing.
const SCALAR_BYTES = 8;
const ATTRIBUTE_OVERHEAD_BYTES = 32;

/** Creates an attribute map without a prototype, so that any key is stored as a plain key. */
export function createAttributes(): SentryAttributes {
  return Object.create(null) as SentryAttributes;
}

/**
 * Converts an OTLP value to a Sentry attribute. Integers beyond 2^53 become strings, as in
 * Sentry's protocol, and bytes become base64. Arrays and key-value lists become JSON text,
 * because Sentry's typed attributes have no nested values. Empty and non-finite values return
 * undefined.
 */
export function toSentryAttribute(value: AnyValue | undefined): SentryAttribute | undefined {
  switch (value?.kind) {
    case undefined:
      return undefined;
    case 'string':
      return { type: 'string', value: truncateUtf8(value.value) };
    case 'bool':
      return { type: 'boolean', value: value.value };
    case 'int':
      return { type: 'integer', value: toSafeNumber(value.value) };
    case 'double':
      return Number.isFinite(value.value) ? { type: 'double', value: value.value } : undefined;
    case 'bytes':
      return { type: 'string', value: truncateUtf8(encodeBase64(value.value)) };
    case 'array':
    case 'kvlist':
      return { type: 'string', value: truncateUtf8(JSON.stringify(toJsonValue(value))) };
  }
}

/** Cuts a string to at most {@link MAX_ATTRIBUTE_VALUE_BYTES} UTF-8 bytes, at a character. */
export function truncateUtf8(value: string, maxBytes = MAX_ATTRIBUTE_VALUE_BYTES): string {
  // A UTF-16 code unit takes at most 3 UTF-8 bytes, so shorter strings need no count.
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value) <= maxBytes) {
    return value;
  }

  const cut = Buffer.from(value).subarray(0, maxBytes).toString();
  // A character split by the cut decodes as U+FFFD, which is dropped.
  return cut.endsWith('\uFFFD') ? cut.slice(0, -1) : cut;
}

/** Returns the bytes an attribute counts against {@link MAX_ITEM_ATTRIBUTE_BYTES}. */
export function attributeBytes(key: string, attribute: SentryAttribute): number {
  const valueBytes =
    typeof attribute.value === 'string' ? Buffer.byteLength(attribute.value) : SCALAR_BYTES;
  return Buffer.byteLength(key) + valueBytes + ATTRIBUTE_OVERHEAD_BYTES;
}

function encodeBase64(bytes: Uint8Array): string {
  // Base64 takes 4 characters for 3 bytes, so only the bytes that fit the limit are encoded.
  const maxBytes = Math.floor(MAX_ATTRIBUTE_VALUE_BYTES / 4) * 3;
  return Buffer.from(bytes.subarray(0, maxBytes)).toString('base64');
}

/** Converts an OTLP value to plain JSON: the text of a log body that is not a string. */
export function toJsonValue(value: AnyValue | undefined): unknown {
  switch (value?.kind) {
    case undefined:
      return null;
    case 'string':
    case 'bool':
      return value.value;
    case 'int':
      return toSafeNumber(value.value);
    case 'double':
      return Number.isFinite(value.value) ? value.value : String(value.value);
    case 'bytes':
      return Buffer.from(value.value).toString('base64');
    case 'array':
      return value.values.map(toJsonValue);
    case 'kvlist': {
      const object = Object.create(null) as Record<string, unknown>;
      for (const entry of value.values) {
        object[entry.key] = toJsonValue(entry.value);
      }
      return object;
    }
  }
}

/**
 * Adds converted key-values to `target`; a later key replaces an earlier one. An attribute that
 * would take `target` past {@link MAX_ITEM_ATTRIBUTE_BYTES} is left out. The size counts every
 * attribute added, also one that replaced another, so it may overstate the map.
 */
export function addAttributes(target: SizedAttributes, keyValues: KeyValue[]): void {
  for (const { key, value } of keyValues) {
    const attribute = key === '' ? undefined : toSentryAttribute(value);
    if (attribute === undefined) {
      continue;
    }

    const bytes = attributeBytes(key, attribute);
    if (target.bytes + bytes <= MAX_ITEM_ATTRIBUTE_BYTES) {
      target.attributes[key] = attribute;
      target.bytes += bytes;
    }
  }
}

/**
 * Builds the attributes shared by every span or log of one resource and scope: the resource's
 * attributes, the scope's, and the scope's name and version as `instrumentation.name` and
 * `instrumentation.version`.
 */
export function createBaseAttributes(
  resource: KeyValue[],
  scope: InstrumentationScope | undefined,
): SizedAttributes {
  const base: SizedAttributes = { attributes: createAttributes(), bytes: 0 };
  addAttributes(base, resource);

  if (scope !== undefined) {
    addAttributes(base, scope.attributes);
    setIfMissing(base.attributes, 'instrumentation.name', scope.name);
    setIfMissing(base.attributes, 'instrumentation.version', scope.version);
  }
  return base;
}

/** Copies the shared attributes of a resource and scope for one span or log. */
export function copyAttributes(base: SizedAttributes): SizedAttributes {
  return { attributes: Object.assign(createAttributes(), base.attributes), bytes: base.bytes };
}

/**
 * Sets Sentry's release and environment from OpenTelemetry's resource conventions
 * (`service.version`, `deployment.environment.name` or the older `deployment.environment`),
 * unless the record sets them itself.
 */
export function addReleaseAndEnvironment(attributes: SentryAttributes): void {
  setIfMissing(attributes, 'sentry.release', stringValue(attributes, 'service.version'));
  setIfMissing(
    attributes,
    'sentry.environment',
    stringValue(attributes, 'deployment.environment.name') ??
      stringValue(attributes, 'deployment.environment'),
  );
}

/**
 * Sets a string attribute, cut to {@link MAX_ATTRIBUTE_VALUE_BYTES}, unless the key is already
 * set or the value is empty.
 */
export function setIfMissing(
  attributes: SentryAttributes,
  key: string,
  value: string | undefined,
): void {
  if (value !== undefined && value !== '' && attributes[key] === undefined) {
    attributes[key] = { type: 'string', value: truncateUtf8(value) };
  }
}

export function stringValue(attributes: SentryAttributes, key: string): string | undefined {
  const attribute = attributes[key];
  return attribute?.type === 'string' && typeof attribute.value === 'string'
    ? attribute.value
    : undefined;
}

function toSafeNumber(value: bigint): number | string {
  const number = Number(value);
  return Number.isSafeInteger(number) ? number : value.toString();
}
