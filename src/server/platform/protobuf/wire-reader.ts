/**
 * A minimal reader of the protobuf wire format (https://protobuf.dev/programming-guides/encoding/)
 * that decodes messages by field number, without generated code. Every read is bounds-checked,
 * so truncated or corrupt input raises {@link ProtobufError} instead of returning garbage.
 */

/** Wire types: varint, 64-bit, length-delimited and 32-bit. Groups (3 and 4) are not supported. */
export type WireType = 0 | 1 | 2 | 5;

/** Raised for input that is not a valid protobuf encoding of the expected message. */
export class ProtobufError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ProtobufError';
  }
}

const WIRE_TYPE_NAMES: Record<WireType, string> = {
  0: 'varint',
  1: '64-bit',
  2: 'length-delimited',
  5: '32-bit',
};

const MAX_VARINT_BYTES = 10;
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

/**
 * One field of a message, as read from the wire. Each accessor checks that the wire type fits
 * the value it reads and throws {@link ProtobufError} when it does not.
 */
export class WireField {
  readonly number: number;
  readonly wireType: WireType;
  readonly #reader: WireReader;
  #isRead = false;

  constructor(reader: WireReader, number: number, wireType: WireType) {
    this.#reader = reader;
    this.number = number;
    this.wireType = wireType;
  }

  /** Reads an unsigned varint (uint32, uint64, bool, enum). */
  varint(): bigint {
    this.#expect(0);
    return this.#reader.readVarint();
  }

  /** Reads a varint that contains a small unsigned value, such as an enum or a uint32. */
  uint32(): number {
    return Number(BigInt.asUintN(32, this.varint()));
  }

  /** Reads an int64 varint, whose negative values are sent as 10-byte two's complement. */
  int64(): bigint {
    return BigInt.asIntN(64, this.varint());
  }

  bool(): boolean {
    return this.varint() !== 0n;
  }

  fixed64(): bigint {
    this.#expect(1);
    return this.#reader.readFixed64();
  }

  double(): number {
    this.#expect(1);
    return this.#reader.readDouble();
  }

  fixed32(): number {
    this.#expect(5);
    return this.#reader.readFixed32();
  }

  bytes(): Uint8Array {
    this.#expect(2);
    return this.#reader.readLengthDelimited();
  }

  /** Reads a string field, which must be valid UTF-8. */
  string(): string {
    const bytes = this.bytes();
    try {
      return utf8Decoder.decode(bytes);
    } catch {
      throw new ProtobufError(`Field ${this.number} is not valid UTF-8`);
    }
  }

  /** Whether an accessor or `skip` has consumed the field's value. */
  get isRead(): boolean {
    return this.#isRead;
  }

  /** Skips the field's value. */
  skip(): void {
    this.#isRead = true;
    this.#reader.skip(this.wireType);
  }

  #expect(wireType: WireType): void {
    if (this.#isRead) {
      throw new ProtobufError(`Field ${this.number} was read twice`);
    }
    this.#isRead = true;
    if (this.wireType !== wireType) {
      throw new ProtobufError(
        `Field ${this.number} has wire type ${WIRE_TYPE_NAMES[this.wireType]}, expected ${WIRE_TYPE_NAMES[wireType]}`,
      );
    }
  }
}

/** A cursor over the bytes of one message. */
export class WireReader {
  readonly #bytes: Uint8Array;
  readonly #view: DataView;
  #position = 0;

  constructor(bytes: Uint8Array) {
    this.#bytes = bytes;
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get isDone(): boolean {
    return this.#position >= this.#bytes.length;
  }

  /** Reads the next field's tag. */
  readField(): WireField {
    const tag = this.readVarint();
    const number = Number(tag >> 3n);
    const wireType = Number(tag & 7n);

    if (number < 1 || number > 536_870_911) {
      throw new ProtobufError(`Invalid field number ${number} at byte ${this.#position}`);
    }
    if (wireType !== 0 && wireType !== 1 && wireType !== 2 && wireType !== 5) {
      throw new ProtobufError(`Unsupported wire type ${wireType} in field ${number}`);
    }
    return new WireField(this, number, wireType);
  }

  readVarint(): bigint {
    let value = 0n;

    for (let index = 0; index < MAX_VARINT_BYTES; index += 1) {
      const byte = this.#bytes[this.#position];
      if (byte === undefined) {
        throw new ProtobufError('Message ends inside a varint');
      }

      this.#position += 1;
      value |= BigInt(byte & 0x7f) << BigInt(7 * index);
      if ((byte & 0x80) === 0) {
        return BigInt.asUintN(64, value);
      }
    }
    throw new ProtobufError(`Varint longer than ${MAX_VARINT_BYTES} bytes`);
  }

  readFixed64(): bigint {
    return this.#view.getBigUint64(this.#take(8), true);
  }

  readDouble(): number {
    return this.#view.getFloat64(this.#take(8), true);
  }

  readFixed32(): number {
    return this.#view.getUint32(this.#take(4), true);
  }

  /** Reads a length prefix and returns that many bytes, without copying them. */
  readLengthDelimited(): Uint8Array {
    const length = this.readVarint();
    if (length > BigInt(this.#bytes.length - this.#position)) {
      throw new ProtobufError(`Length ${length} runs past the end of the message`);
    }

    const start = this.#take(Number(length));
    return this.#bytes.subarray(start, start + Number(length));
  }

  skip(wireType: WireType): void {
    switch (wireType) {
      case 0:
        this.readVarint();
        return;
      case 1:
        this.#take(8);
        return;
      case 2:
        this.readLengthDelimited();
        return;
      case 5:
        this.#take(4);
        return;
    }
  }

  /** Advances by `count` bytes and returns the position before them. */
  #take(count: number): number {
    if (this.#position + count > this.#bytes.length) {
      throw new ProtobufError(
        `Message ends ${this.#position + count - this.#bytes.length} bytes early`,
      );
    }

    const start = this.#position;
    this.#position += count;
    return start;
  }
}

/**
 * Calls `onField` for each field of a message, in wire order. The handler reads the value of
 * each field it recognizes through one accessor. A field left unread is skipped, as protobuf
 * parsers skip unknown fields.
 * @throws ProtobufError for truncated or malformed input, or a field of an unexpected wire type.
 */
export function readMessage(bytes: Uint8Array, onField: (field: WireField) => void): void {
  const reader = new WireReader(bytes);

  while (!reader.isDone) {
    const field = reader.readField();
    onField(field);
    if (!field.isRead) {
      field.skip();
    }
  }
}
