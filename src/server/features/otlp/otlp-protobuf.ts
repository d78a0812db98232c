import { ProtobufError, readMessage } from '../../platform/protobuf/index.js';
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

/**
 * Decodes a protobuf `ExportTraceServiceRequest`.
 * @throws OtlpDecodeError for bytes that are not a valid encoding of it.
 */
export function decodeTraceRequest(bytes: Uint8Array): TraceRequest {
  return decodeRequest(bytes, 'ExportTraceServiceRequest', decodeSpan);
}

/**
 * Decodes a protobuf `ExportLogsServiceRequest`.
 * @throws OtlpDecodeError for bytes that are not a valid encoding of it.
 */
export function decodeLogsRequest(bytes: Uint8Array): LogsRequest {
  return decodeRequest(bytes, 'ExportLogsServiceRequest', decodeLogRecord);
}

// Both requests share one layout. Field 1 repeats ResourceSpans or ResourceLogs. Each of those
// has the resource in field 1 and repeats ScopeSpans or ScopeLogs in field 2. Each of those has
// the scope in field 1 and repeats the spans or log records in field 2. Entries past
// MAX_ENTRIES_PER_REQUEST are skipped undecoded and counted.
function decodeRequest<T>(
  bytes: Uint8Array,
  messageName: string,
  decodeEntry: (bytes: Uint8Array) => T,
): ScopeEntries<T>[] {
  const groups: ScopeEntries<T>[] = [];
  const counter = new EntryCounter();

  try {
    readMessage(bytes, (field) => {
      if (field.number === 1) {
        groups.push(...decodeResourceGroup(field.bytes(), decodeEntry, counter));
      }
    });
  } catch (error) {
    if (error instanceof ProtobufError || error instanceof OtlpDecodeError) {
      throw new OtlpDecodeError(`Invalid protobuf ${messageName}: ${error.message}`, {
        cause: error,
      });
    }
    throw error;
  }
  return groups;
}

function decodeResourceGroup<T>(
  bytes: Uint8Array,
  decodeEntry: (bytes: Uint8Array) => T,
  counter: EntryCounter,
): ScopeEntries<T>[] {
  let resource: KeyValue[] = [];
  const scopes: Omit<ScopeEntries<T>, 'resource'>[] = [];

  readMessage(bytes, (field) => {
    if (field.number === 1) {
      resource = decodeResource(field.bytes());
    } else if (field.number === 2) {
      scopes.push(decodeScopeGroup(field.bytes(), decodeEntry, counter));
    }
  });
  return scopes.map((scope) => ({ resource, ...scope }));
}

function decodeScopeGroup<T>(
  bytes: Uint8Array,
  decodeEntry: (bytes: Uint8Array) => T,
  counter: EntryCounter,
): Omit<ScopeEntries<T>, 'resource'> {
  let scope: InstrumentationScope | undefined;
  const entries: T[] = [];
  let skipped = 0;

  readMessage(bytes, (field) => {
    if (field.number === 1) {
      scope = decodeScope(field.bytes());
    } else if (field.number === 2) {
      if (counter.take()) {
        entries.push(decodeEntry(field.bytes()));
      } else {
        skipped += 1;
      }
    }
  });
  return skipped > 0 ? { scope, entries, skipped } : { scope, entries };
}

function decodeResource(bytes: Uint8Array): KeyValue[] {
  const attributes: KeyValue[] = [];
  readMessage(bytes, (field) => {
    if (field.number === 1) {
      attributes.push(decodeKeyValue(field.bytes(), 0));
    }
  });
  return attributes;
}

function decodeScope(bytes: Uint8Array): InstrumentationScope {
  const scope: InstrumentationScope = { name: '', version: '', attributes: [] };
  readMessage(bytes, (field) => {
    if (field.number === 1) {
      scope.name = field.string();
    } else if (field.number === 2) {
      scope.version = field.string();
    } else if (field.number === 3) {
      scope.attributes.push(decodeKeyValue(field.bytes(), 0));
    }
  });
  return scope;
}

function decodeSpan(bytes: Uint8Array): OtlpSpan {
  const span: OtlpSpan = {
    traceId: '',
    spanId: '',
    parentSpanId: '',
    name: '',
    kind: 0,
    startTimeUnixNano: 0n,
    endTimeUnixNano: 0n,
    attributes: [],
    statusCode: 0,
    statusMessage: '',
    flags: 0,
  };

  readMessage(bytes, (field) => {
    switch (field.number) {
      case 1:
        span.traceId = toHex(field.bytes());
        break;
      case 2:
        span.spanId = toHex(field.bytes());
        break;
      case 4:
        span.parentSpanId = toHex(field.bytes());
        break;
      case 5:
        span.name = field.string();
        break;
      case 6:
        span.kind = field.uint32();
        break;
      case 7:
        span.startTimeUnixNano = field.fixed64();
        break;
      case 8:
        span.endTimeUnixNano = field.fixed64();
        break;
      case 9:
        span.attributes.push(decodeKeyValue(field.bytes(), 0));
        break;
      case 15:
        readMessage(field.bytes(), (statusField) => {
          if (statusField.number === 2) {
            span.statusMessage = statusField.string();
          } else if (statusField.number === 3) {
            span.statusCode = statusField.uint32();
          }
        });
        break;
      case 16:
        span.flags = field.fixed32();
        break;
    }
  });
  return span;
}

function decodeLogRecord(bytes: Uint8Array): OtlpLogRecord {
  const record: OtlpLogRecord = {
    timeUnixNano: 0n,
    observedTimeUnixNano: 0n,
    severityNumber: 0,
    severityText: '',
    body: undefined,
    attributes: [],
    traceId: '',
    spanId: '',
    eventName: '',
  };

  readMessage(bytes, (field) => {
    switch (field.number) {
      case 1:
        record.timeUnixNano = field.fixed64();
        break;
      case 2:
        record.severityNumber = field.uint32();
        break;
      case 3:
        record.severityText = field.string();
        break;
      case 5:
        record.body = decodeAnyValue(field.bytes(), 0);
        break;
      case 6:
        record.attributes.push(decodeKeyValue(field.bytes(), 0));
        break;
      case 9:
        record.traceId = toHex(field.bytes());
        break;
      case 10:
        record.spanId = toHex(field.bytes());
        break;
      case 11:
        record.observedTimeUnixNano = field.fixed64();
        break;
      case 12:
        record.eventName = field.string();
        break;
    }
  });
  return record;
}

function decodeKeyValue(bytes: Uint8Array, depth: number): KeyValue {
  const keyValue: KeyValue = { key: '', value: undefined };
  readMessage(bytes, (field) => {
    if (field.number === 1) {
      keyValue.key = field.string();
    } else if (field.number === 2) {
      keyValue.value = decodeAnyValue(field.bytes(), depth);
    }
  });
  return keyValue;
}

function decodeAnyValue(bytes: Uint8Array, depth: number): AnyValue | undefined {
  if (depth > MAX_VALUE_DEPTH) {
    throw new OtlpDecodeError(`Attribute values nest more than ${MAX_VALUE_DEPTH} levels deep`);
  }

  let value: AnyValue | undefined;
  readMessage(bytes, (field) => {
    switch (field.number) {
      case 1:
        value = { kind: 'string', value: field.string() };
        break;
      case 2:
        value = { kind: 'bool', value: field.bool() };
        break;
      case 3:
        value = { kind: 'int', value: field.int64() };
        break;
      case 4:
        value = { kind: 'double', value: field.double() };
        break;
      case 5:
        value = { kind: 'array', values: decodeArray(field.bytes(), depth + 1) };
        break;
      case 6:
        value = { kind: 'kvlist', values: decodeKeyValueList(field.bytes(), depth + 1) };
        break;
      case 7:
        value = { kind: 'bytes', value: field.bytes() };
        break;
    }
  });
  return value;
}

function decodeArray(bytes: Uint8Array, depth: number): AnyValue[] {
  const values: AnyValue[] = [];
  readMessage(bytes, (field) => {
    if (field.number === 1) {
      const value = decodeAnyValue(field.bytes(), depth);
      if (value !== undefined) {
        values.push(value);
      }
    }
  });
  return values;
}

function decodeKeyValueList(bytes: Uint8Array, depth: number): KeyValue[] {
  const values: KeyValue[] = [];
  readMessage(bytes, (field) => {
    if (field.number === 1) {
      values.push(decodeKeyValue(field.bytes(), depth));
    }
  });
  return values;
}

function toHex(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('hex');
}
