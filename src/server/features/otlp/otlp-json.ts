import {
  EntryCounter,
  MAX_VALUE_DEPTH,
  OtlpDecodeError,
  type AnyValue,
  type InstrumentationScope,
  type KeyValue,
  type LogsRequest,
  type OtlpLogRecord,
  type OtlpSpan,
  type ScopeEntries,
  type TraceRequest,
} from './otlp-model.js';
import {
  field,
  readArray,
  readDouble,
  readEnum,
  readId,
  readInt64,
  readObject,
  readString,
  readUint64,
  type JsonObject,
} from './otlp-json-fields.js';

/**
 * Readers of OTLP's JSON encoding (https://opentelemetry.io/docs/specs/otlp/#json-protobuf-encoding):
 * lowerCamelCase field names (the proto's snake_case names are accepted too), ids as hex
 * strings, 64-bit integers as decimal strings or numbers, enums as integers (or their names).
 * Missing fields take protobuf's defaults.
 */

const SPAN_KINDS: Record<string, number> = {
  SPAN_KIND_UNSPECIFIED: 0,
  SPAN_KIND_INTERNAL: 1,
  SPAN_KIND_SERVER: 2,
  SPAN_KIND_CLIENT: 3,
  SPAN_KIND_PRODUCER: 4,
  SPAN_KIND_CONSUMER: 5,
};

const STATUS_CODES: Record<string, number> = {
  STATUS_CODE_UNSET: 0,
  STATUS_CODE_OK: 1,
  STATUS_CODE_ERROR: 2,
};

// SEVERITY_NUMBER_TRACE = 1, TRACE2 = 2 ... FATAL4 = 24.
const SEVERITY_NUMBERS: Record<string, number> = Object.fromEntries(
  ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'].flatMap((name, index) =>
    ['', '2', '3', '4'].map((suffix, step) => [
      `SEVERITY_NUMBER_${name}${suffix}`,
      index * 4 + step + 1,
    ]),
  ),
);

/**
 * Reads a parsed JSON `ExportTraceServiceRequest`.
 * @throws OtlpDecodeError naming the first field of the wrong type.
 */
export function readTraceRequest(json: unknown): TraceRequest {
  return readRequest(json, ['resourceSpans', 'resource_spans'], ['scopeSpans', 'scope_spans'], {
    names: ['spans', 'spans'],
    read: readSpan,
  });
}

/**
 * Reads a parsed JSON `ExportLogsServiceRequest`.
 * @throws OtlpDecodeError naming the first field of the wrong type.
 */
export function readLogsRequest(json: unknown): LogsRequest {
  return readRequest(json, ['resourceLogs', 'resource_logs'], ['scopeLogs', 'scope_logs'], {
    names: ['logRecords', 'log_records'],
    read: readLogRecord,
  });
}

function readRequest<T>(
  json: unknown,
  resourceNames: [string, string],
  scopeNames: [string, string],
  entry: { names: [string, string]; read: (value: unknown, path: string) => T },
): ScopeEntries<T>[] {
  const groups: ScopeEntries<T>[] = [];
  const request = readObject(json, 'request');
  const counter = new EntryCounter();

  readArray(field(request, resourceNames), resourceNames[0]).forEach((value, resourceIndex) => {
    const resourcePath = `${resourceNames[0]}[${resourceIndex}]`;
    const group = readObject(value, resourcePath);
    const resourceValue = readObject(group.resource, `${resourcePath}.resource`);
    const resource = readAttributes(resourceValue.attributes, `${resourcePath}.resource`);

    readArray(field(group, scopeNames), `${resourcePath}.${scopeNames[0]}`).forEach(
      (scopeGroup, scopeIndex) => {
        const scopePath = `${resourcePath}.${scopeNames[0]}[${scopeIndex}]`;
        const scopeObject = readObject(scopeGroup, scopePath);
        const entriesPath = `${scopePath}.${entry.names[0]}`;
        const values = readArray(field(scopeObject, entry.names), entriesPath);
        const entries: T[] = [];
        let skipped = 0;
        // Entries past MAX_ENTRIES_PER_REQUEST are counted without being read.
        values.forEach((item, index) => {
          if (counter.take()) {
            entries.push(entry.read(item, `${entriesPath}[${index}]`));
          } else {
            skipped += 1;
          }
        });
        const scope = readScope(scopeObject.scope, scopePath);
        groups.push(
          skipped > 0 ? { resource, scope, entries, skipped } : { resource, scope, entries },
        );
      },
    );
  });
  return groups;
}

function readScope(value: unknown, path: string): InstrumentationScope | undefined {
  if (value === undefined || value === null) {
    return undefined;
  }

  const scope = readObject(value, `${path}.scope`);
  return {
    name: readString(scope.name, `${path}.scope.name`),
    version: readString(scope.version, `${path}.scope.version`),
    attributes: readAttributes(scope.attributes, `${path}.scope`),
  };
}

function readSpan(value: unknown, path: string): OtlpSpan {
  const span = readObject(value, path);
  const status = readObject(span.status, `${path}.status`);

  return {
    traceId: readId(field(span, ['traceId', 'trace_id']), `${path}.traceId`),
    spanId: readId(field(span, ['spanId', 'span_id']), `${path}.spanId`),
    parentSpanId: readId(field(span, ['parentSpanId', 'parent_span_id']), `${path}.parentSpanId`),
    name: readString(span.name, `${path}.name`),
    kind: readEnum(span.kind, SPAN_KINDS, `${path}.kind`),
    startTimeUnixNano: readUint64(
      field(span, ['startTimeUnixNano', 'start_time_unix_nano']),
      `${path}.startTimeUnixNano`,
    ),
    endTimeUnixNano: readUint64(
      field(span, ['endTimeUnixNano', 'end_time_unix_nano']),
      `${path}.endTimeUnixNano`,
    ),
    attributes: readAttributes(span.attributes, path),
    statusCode: readEnum(status.code, STATUS_CODES, `${path}.status.code`),
    statusMessage: readString(status.message, `${path}.status.message`),
    flags: Number(readUint64(span.flags, `${path}.flags`) & 0xffff_ffffn),
  };
}

function readLogRecord(value: unknown, path: string): OtlpLogRecord {
  const record = readObject(value, path);

  return {
    timeUnixNano: readUint64(
      field(record, ['timeUnixNano', 'time_unix_nano']),
      `${path}.timeUnixNano`,
    ),
    observedTimeUnixNano: readUint64(
      field(record, ['observedTimeUnixNano', 'observed_time_unix_nano']),
      `${path}.observedTimeUnixNano`,
    ),
    severityNumber: readEnum(
      field(record, ['severityNumber', 'severity_number']),
      SEVERITY_NUMBERS,
      `${path}.severityNumber`,
    ),
    severityText: readString(
      field(record, ['severityText', 'severity_text']),
      `${path}.severityText`,
    ),
    body: readAnyValue(record.body, `${path}.body`, 0),
    attributes: readAttributes(record.attributes, path),
    traceId: readId(field(record, ['traceId', 'trace_id']), `${path}.traceId`),
    spanId: readId(field(record, ['spanId', 'span_id']), `${path}.spanId`),
    eventName: readString(field(record, ['eventName', 'event_name']), `${path}.eventName`),
  };
}

function readAttributes(value: unknown, path: string): KeyValue[] {
  return readArray(value, `${path}.attributes`).map((item, index) =>
    readKeyValue(item, `${path}.attributes[${index}]`, 0),
  );
}

function readKeyValue(value: unknown, path: string, depth: number): KeyValue {
  const keyValue = readObject(value, path);
  return {
    key: readString(keyValue.key, `${path}.key`),
    value: readAnyValue(keyValue.value, `${path}.value`, depth),
  };
}

function readAnyValue(value: unknown, path: string, depth: number): AnyValue | undefined {
  if (depth > MAX_VALUE_DEPTH) {
    throw new OtlpDecodeError(`${path} nests more than ${MAX_VALUE_DEPTH} levels deep`);
  }

  const object = readObject(value, path);
  const stringValue = field(object, ['stringValue', 'string_value']);
  if (stringValue !== undefined) {
    return { kind: 'string', value: readString(stringValue, `${path}.stringValue`) };
  }

  const boolValue = field(object, ['boolValue', 'bool_value']);
  if (boolValue !== undefined) {
    if (typeof boolValue !== 'boolean') {
      throw new OtlpDecodeError(`${path}.boolValue must be true or false`);
    }
    return { kind: 'bool', value: boolValue };
  }

  const intValue = field(object, ['intValue', 'int_value']);
  if (intValue !== undefined) {
    return { kind: 'int', value: BigInt.asIntN(64, readInt64(intValue, `${path}.intValue`)) };
  }

  const doubleValue = field(object, ['doubleValue', 'double_value']);
  if (doubleValue !== undefined) {
    return { kind: 'double', value: readDouble(doubleValue, `${path}.doubleValue`) };
  }

  return readCompositeValue(object, path, depth);
}

function readCompositeValue(object: JsonObject, path: string, depth: number): AnyValue | undefined {
  const arrayValue = field(object, ['arrayValue', 'array_value']);
  if (arrayValue !== undefined) {
    const values = readArray(readObject(arrayValue, path).values, `${path}.arrayValue.values`)
      .map((item, index) => readAnyValue(item, `${path}.arrayValue.values[${index}]`, depth + 1))
      .filter((item) => item !== undefined);
    return { kind: 'array', values };
  }

  const kvlistValue = field(object, ['kvlistValue', 'kvlist_value']);
  if (kvlistValue !== undefined) {
    const values = readArray(
      readObject(kvlistValue, path).values,
      `${path}.kvlistValue.values`,
    ).map((item, index) => readKeyValue(item, `${path}.kvlistValue.values[${index}]`, depth + 1));
    return { kind: 'kvlist', values };
  }

  const bytesValue = field(object, ['bytesValue', 'bytes_value']);
  if (bytesValue !== undefined) {
    return { kind: 'bytes', value: Buffer.from(readString(bytesValue, path), 'base64') };
  }
  return undefined;
}
