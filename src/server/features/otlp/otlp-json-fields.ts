import { OtlpDecodeError } from './otlp-model.js';

/**
 * Readers of single fields of OTLP JSON. A missing or null field reads as protobuf's default;
 * a field of another type raises {@link OtlpDecodeError} naming its path.
 */

export type JsonObject = Record<string, unknown>;

/** Returns a field by its JSON name, else by its proto name. */
export function field(object: JsonObject, [camelName, snakeName]: [string, string]): unknown {
  return object[camelName] ?? object[snakeName];
}

export function readObject(value: unknown, path: string): JsonObject {
  if (value === undefined || value === null) {
    return {};
  }
  if (typeof value !== 'object' || Array.isArray(value)) {
    throw new OtlpDecodeError(`${path} must be an object`);
  }
  return value as JsonObject;
}

export function readArray(value: unknown, path: string): unknown[] {
  if (value === undefined || value === null) {
    return [];
  }
  if (!Array.isArray(value)) {
    throw new OtlpDecodeError(`${path} must be an array`);
  }
  return value;
}

export function readString(value: unknown, path: string): string {
  if (value === undefined || value === null) {
    return '';
  }
  if (typeof value !== 'string') {
    throw new OtlpDecodeError(`${path} must be a string`);
  }
  return value;
}

/** Reads an id as lowercase hex. Malformed ids are kept, for the conversion to reject. */
export function readId(value: unknown, path: string): string {
  return readString(value, path).toLowerCase();
}

export function readUint64(value: unknown, path: string): bigint {
  const parsed = readInt64(value, path);
  if (parsed < 0n || parsed >= 1n << 64n) {
    throw new OtlpDecodeError(`${path} must be an unsigned 64-bit integer`);
  }
  return parsed;
}

export function readInt64(value: unknown, path: string): bigint {
  if (value === undefined || value === null) {
    return 0n;
  }
  if (typeof value === 'number' && Number.isInteger(value)) {
    return BigInt(value);
  }
  if (typeof value === 'string' && /^-?\d{1,20}$/.test(value)) {
    return BigInt(value);
  }
  throw new OtlpDecodeError(`${path} must be an integer or a decimal string`);
}

export function readDouble(value: unknown, path: string): number {
  if (typeof value === 'number') {
    return value;
  }
  // Proto3's JSON mapping writes non-finite doubles as strings.
  if (typeof value === 'string' && ['NaN', 'Infinity', '-Infinity'].includes(value)) {
    return Number(value);
  }
  throw new OtlpDecodeError(`${path} must be a number`);
}

export function readEnum(value: unknown, names: Record<string, number>, path: string): number {
  const named = typeof value === 'string' && Object.hasOwn(names, value) ? names[value] : undefined;
  if (named !== undefined) {
    return named;
  }

  const number = readInt64(value, path);
  if (number < 0n || number > 0x7fff_ffffn) {
    throw new OtlpDecodeError(`${path} is not a known value`);
  }
  return Number(number);
}
