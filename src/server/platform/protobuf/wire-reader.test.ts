import { describe, expect, it } from 'vitest';

import { ProtobufError, readMessage, type WireField } from './wire-reader.js';
import { WireWriter } from './wire-writer.js';

function collect(bytes: Uint8Array, read: (field: WireField) => unknown): unknown[] {
  const values: unknown[] = [];
  readMessage(bytes, (field) => {
    values.push(read(field));
  });
  return values;
}

describe('readMessage', () => {
  it('reads every wire type written by WireWriter', () => {
    const bytes = new WireWriter()
      .varint(1, 150)
      .fixed64(2, 1_796_398_645_256_212_200n)
      .double(3, 12.5)
      .fixed32(4, 0x0301)
      .string(5, 'héllo')
      .finish();
    const values: Record<number, unknown> = {};

    readMessage(bytes, (field) => {
      const readers: Record<number, () => unknown> = {
        1: () => field.uint32(),
        2: () => field.fixed64(),
        3: () => field.double(),
        4: () => field.fixed32(),
        5: () => field.string(),
      };
      values[field.number] = readers[field.number]?.();
    });

    expect(values).toEqual({
      1: 150,
      2: 1_796_398_645_256_212_200n,
      3: 12.5,
      4: 0x0301,
      5: 'héllo',
    });
  });

  it('decodes the varint 150 from its documented bytes', () => {
    expect(collect(Uint8Array.from([0x08, 0x96, 0x01]), (field) => field.uint32())).toEqual([150]);
  });

  it('reads a negative int64 from ten bytes', () => {
    const bytes = new WireWriter().varint(1, -2n).finish();

    expect(bytes.length).toBe(11);
    expect(collect(bytes, (field) => field.int64())).toEqual([-2n]);
  });

  it('skips fields the handler does not read', () => {
    const bytes = new WireWriter()
      .varint(9, 1)
      .fixed64(10, 2n)
      .fixed32(11, 3)
      .string(12, 'skipped')
      .string(1, 'kept')
      .finish();

    const values = collect(bytes, (field) => (field.number === 1 ? field.string() : undefined));

    expect(values.filter((value) => value !== undefined)).toEqual(['kept']);
  });

  it('reads embedded messages without copying', () => {
    const inner = new WireWriter().string(1, 'inner');
    const bytes = new WireWriter().message(2, inner).finish();

    const [embedded] = collect(bytes, (field) => field.bytes()) as Uint8Array[];

    expect(collect(embedded!, (field) => field.string())).toEqual(['inner']);
    expect(embedded!.buffer).toBe(bytes.buffer);
  });

  it.each([
    ['a truncated varint', [0x08, 0x96]],
    ['a varint of eleven bytes', [0x08, ...Array<number>(10).fill(0xff), 0x01]],
    ['a length past the end', [0x0a, 0x05, 0x61]],
    ['a truncated fixed64', [0x11, 1, 2, 3]],
    ['a truncated fixed32', [0x15, 1]],
    ['a group wire type', [0x0b]],
    ['field number zero', [0x00, 0x01]],
  ])('rejects %s', (_name, bytes) => {
    expect(() => collect(Uint8Array.from(bytes), (field) => field.skip())).toThrow(ProtobufError);
  });

  it('rejects a field of an unexpected wire type', () => {
    const bytes = new WireWriter().varint(1, 1).finish();

    expect(() => collect(bytes, (field) => field.string())).toThrow(
      'Field 1 has wire type varint, expected length-delimited',
    );
  });

  it('rejects invalid UTF-8 in a string field', () => {
    const bytes = new WireWriter().bytes(1, Uint8Array.from([0xff, 0xfe])).finish();

    expect(() => collect(bytes, (field) => field.string())).toThrow('Field 1 is not valid UTF-8');
  });
});
