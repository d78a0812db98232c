/**
 * A minimal writer of the protobuf wire format, the counterpart of `wire-reader.ts`, for small
 * responses such as OTLP's partial-success message.
 */
export class WireWriter {
  readonly #chunks: Uint8Array[] = [];

  /** Writes an unsigned varint field (uint32, uint64, bool, enum); int64 values are wrapped. */
  varint(field: number, value: bigint | number): this {
    this.#tag(field, 0);
    this.#chunks.push(encodeVarint(BigInt.asUintN(64, BigInt(value))));
    return this;
  }

  fixed64(field: number, value: bigint): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setBigUint64(0, BigInt.asUintN(64, value), true);
    this.#tag(field, 1);
    this.#chunks.push(bytes);
    return this;
  }

  double(field: number, value: number): this {
    const bytes = new Uint8Array(8);
    new DataView(bytes.buffer).setFloat64(0, value, true);
    this.#tag(field, 1);
    this.#chunks.push(bytes);
    return this;
  }

  fixed32(field: number, value: number): this {
    const bytes = new Uint8Array(4);
    new DataView(bytes.buffer).setUint32(0, value, true);
    this.#tag(field, 5);
    this.#chunks.push(bytes);
    return this;
  }

  bytes(field: number, value: Uint8Array): this {
    this.#tag(field, 2);
    this.#chunks.push(encodeVarint(BigInt(value.length)), value);
    return this;
  }

  string(field: number, value: string): this {
    return this.bytes(field, new TextEncoder().encode(value));
  }

  /** Writes an embedded message field. */
  message(field: number, message: WireWriter): this {
    return this.bytes(field, message.finish());
  }

  /** Returns the encoded message. */
  finish(): Uint8Array {
    return Buffer.concat(this.#chunks);
  }

  #tag(field: number, wireType: number): void {
    this.#chunks.push(encodeVarint((BigInt(field) << 3n) | BigInt(wireType)));
  }
}

function encodeVarint(value: bigint): Uint8Array {
  const bytes: number[] = [];
  let rest = value;

  while (rest >= 0x80n) {
    bytes.push(Number(rest & 0x7fn) | 0x80);
    rest >>= 7n;
  }
  bytes.push(Number(rest));
  return Uint8Array.from(bytes);
}
