import type { AnyValue, InstrumentationScope, KeyValue } from './otlp-model.js';

/** A typed attribute of Sentry's span and log protocols. */
export interface SentryAttribute {
  type: 'string' | 'boolean' | 'integer' | 'double';
  value: string | boolean | number;
}

export type SentryAttributes = Record<string, SentryAttribute>;

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
      return { type: 'string', value: value.value };
    case 'bool':
      return { type: 'boolean', value: value.value };
    case 'int':
      return { type: 'integer', value: toSafeNumber(value.value) };
    case 'double':
      return Number.isFinite(value.value) ? { type: 'double', value: value.value } : undefined;
    case 'bytes':
      return { type: 'string', value: Buffer.from(value.value).toString('base64') };
    case 'array':
    case 'kvlist':
      return { type: 'string', value: JSON.stringify(toJsonValue(value)) };
  }
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

/** Adds converted key-values to `target`; a later key replaces an earlier one. */
export function addAttributes(target: SentryAttributes, keyValues: KeyValue[]): void {
  for (const { key, value } of keyValues) {
    const attribute = toSentryAttribute(value);
    if (attribute !== undefined && key !== '') {
      target[key] = attribute;
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
): SentryAttributes {
  const attributes = createAttributes();
  addAttributes(attributes, resource);

  if (scope !== undefined) {
    addAttributes(attributes, scope.attributes);
    setIfMissing(attributes, 'instrumentation.name', scope.name);
    setIfMissing(attributes, 'instrumentation.version', scope.version);
  }
  return attributes;
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

/** Sets a string attribute unless the key is already set or the value is empty. */
export function setIfMissing(
  attributes: SentryAttributes,
  key: string,
  value: string | undefined,
): void {
  if (value !== undefined && value !== '' && attributes[key] === undefined) {
    attributes[key] = { type: 'string', value };
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
