import { Decompress } from 'fzstd';

import { AppError, PayloadTooLargeError } from '../../platform/errors.js';
import type { BodyDecoder, BodyDecoderHandlers } from './body-decoders.js';

/**
 * Largest zstd window this server decodes. With zstd 1.5.4, compression levels 1 to 19 use at
 * most 8 MiB, while levels 20 to 22 and `--long` use more. fzstd allocates the whole window up
 * front, so a frame header could otherwise make it allocate up to 2 GiB.
 */
export const ZSTD_MAX_WINDOW_BYTES = 8 * 1024 * 1024;

// fzstd shifts its whole window buffer after every block (fzstd 0.1.1 `Decompress.push`), so a
// block costs about one window of memory copying however little it outputs. Without a cap, a
// 400 KB body of 1-byte blocks in an 8 MiB window took about 40 s to decode on a 2-core machine.
// Copying is therefore capped at 256 bytes per output byte plus 64 windows. Full 128 KiB blocks
// in an 8 MiB window, as zstd -19 writes them, cost 64 bytes per output byte.
const MAX_COPY_BYTES_PER_OUTPUT_BYTE = 256;
const FREE_WINDOW_COPIES = 64;

// Frame format: RFC 8878, section 3.1.
const ZSTD_FRAME_MAGIC = 0xfd2fb528;
const SKIPPABLE_FRAME_MAGIC = 0x184d2a50;
const SKIPPABLE_FRAME_MAGIC_MASK = 0xfffffff0;
const MAX_BLOCK_BYTES = 128 * 1024;
const CHECKSUM_BYTES = 4;
const DICTIONARY_ID_BYTES = [0, 1, 2, 4] as const;
const CONTENT_SIZE_BYTES = [0, 2, 4, 8] as const;

type ScanState = 'magic' | 'skippable-size' | 'frame-descriptor' | 'frame-header' | 'block-header';

/** Creates a streaming zstd decoder that rejects frames it cannot decode within its limits. */
export function createZstdDecoder(
  handlers: BodyDecoderHandlers,
  maxOutputBytes: number,
): BodyDecoder {
  return new ZstdDecoder(handlers, maxOutputBytes);
}

// Thrown out of fzstd's output callback to abandon a push after destroy().
class DecodingStopped extends Error {}

class ZstdDecoder implements BodyDecoder {
  readonly #handlers: BodyDecoderHandlers;
  readonly #scanner: ZstdFrameScanner;
  readonly #decompressor: Decompress;
  #outputBytes = 0;
  #copyBytes = 0;
  #destroyed = false;

  constructor(handlers: BodyDecoderHandlers, maxOutputBytes: number) {
    this.#handlers = handlers;
    this.#scanner = new ZstdFrameScanner(maxOutputBytes);
    this.#decompressor = new Decompress((data, final) => {
      this.#onBlock(data, final === true);
    });
  }

  write(chunk: Buffer): boolean {
    this.#push(chunk, false);
    return true;
  }

  end(): void {
    this.#push(new Uint8Array(0), true);
    if (!this.#destroyed) {
      this.#handlers.onEnd();
    }
  }

  destroy(): void {
    this.#destroyed = true;
  }

  #push(chunk: Uint8Array, final: boolean): void {
    if (this.#destroyed) {
      return;
    }

    try {
      // The scanner checks every frame and block header before fzstd decodes the bytes.
      this.#scanner.scan(chunk);
      this.#decompressor.push(chunk, final);
    } catch (error) {
      if (error instanceof DecodingStopped) {
        return;
      }
      this.#destroyed = true;
      this.#handlers.onError(
        error instanceof AppError ? error : invalidZstd(errorMessage(error), error),
      );
    }
  }

  #onBlock(data: Uint8Array, final: boolean): void {
    // Set when the reader stopped decoding from inside an earlier onData call.
    if (this.#destroyed) {
      throw new DecodingStopped();
    }

    // The final callback of a stream carries no block and no window shift.
    if (!final) {
      const window = this.#scanner.maxWindowBytes;

      this.#outputBytes += data.length;
      this.#copyBytes += window;
      if (
        this.#copyBytes >
        MAX_COPY_BYTES_PER_OUTPUT_BYTE * this.#outputBytes + FREE_WINDOW_COPIES * window
      ) {
        throw invalidZstd(
          'too many small blocks for the frame window size. Compress without frequent flushes',
        );
      }
    }

    if (data.length > 0) {
      // fzstd may reuse or return views of its buffers, so the block is copied.
      this.#handlers.onData(Buffer.from(data));
    }
  }
}

/**
 * Walks zstd frame and block headers as bytes arrive, without decompressing, and rejects
 * frames that would need too much memory: windows over ZSTD_MAX_WINDOW_BYTES, declared content
 * sizes over the output limit, and dictionaries (which fzstd does not support).
 */
export class ZstdFrameScanner {
  /** Largest window of any frame seen so far, in bytes. */
  maxWindowBytes = 0;

  readonly #maxContentBytes: number;
  readonly #field = new Uint8Array(14);
  #fieldSize = 4;
  #fieldFilled = 0;
  #state: ScanState = 'magic';
  #skipBytes = 0;
  #descriptor = 0;

  constructor(maxContentBytes: number) {
    this.#maxContentBytes = maxContentBytes;
  }

  /** @throws AppError 400 for invalid or unsupported frames, 413 for oversized content. */
  scan(chunk: Uint8Array): void {
    let offset = 0;

    while (offset < chunk.length) {
      if (this.#skipBytes > 0) {
        const skipped = Math.min(this.#skipBytes, chunk.length - offset);
        this.#skipBytes -= skipped;
        offset += skipped;
        continue;
      }

      const copied = Math.min(this.#fieldSize - this.#fieldFilled, chunk.length - offset);
      this.#field.set(chunk.subarray(offset, offset + copied), this.#fieldFilled);
      this.#fieldFilled += copied;
      offset += copied;

      if (this.#fieldFilled === this.#fieldSize) {
        this.#fieldFilled = 0;
        this.#readField();
      }
    }
  }

  #readField(): void {
    switch (this.#state) {
      case 'magic':
        this.#readMagic(readUint(this.#field, 0, 4));
        return;
      case 'skippable-size':
        this.#skipBytes = readUint(this.#field, 0, 4);
        this.#expect('magic', 4);
        return;
      case 'frame-descriptor':
        this.#readFrameDescriptor(this.#field[0] ?? 0);
        return;
      case 'frame-header':
        this.#readFrameHeader();
        return;
      case 'block-header':
        this.#readBlockHeader(readUint(this.#field, 0, 3));
        return;
    }
  }

  #readMagic(magic: number): void {
    if (magic === ZSTD_FRAME_MAGIC) {
      this.#expect('frame-descriptor', 1);
    } else if ((magic & SKIPPABLE_FRAME_MAGIC_MASK) >>> 0 === SKIPPABLE_FRAME_MAGIC) {
      this.#expect('skippable-size', 4);
    } else {
      throw invalidZstd(`unknown frame magic number 0x${magic.toString(16)}`);
    }
  }

  #readFrameDescriptor(descriptor: number): void {
    if ((descriptor & 0x08) !== 0) {
      throw invalidZstd('reserved bit set in the frame header');
    }

    const isSingleSegment = (descriptor & 0x20) !== 0;
    const contentSizeFlag = descriptor >> 6;
    const contentSizeBytes =
      contentSizeFlag === 0 && isSingleSegment ? 1 : (CONTENT_SIZE_BYTES[contentSizeFlag] ?? 0);
    const windowDescriptorBytes = isSingleSegment ? 0 : 1;
    const dictionaryIdBytes = DICTIONARY_ID_BYTES[descriptor & 0x03] ?? 0;

    this.#descriptor = descriptor;
    // The size is at least 1 because a frame has a window descriptor unless it is
    // single-segment, and a single-segment frame always declares its content size.
    this.#expect('frame-header', windowDescriptorBytes + dictionaryIdBytes + contentSizeBytes);
  }

  #readFrameHeader(): void {
    const descriptor = this.#descriptor;
    const isSingleSegment = (descriptor & 0x20) !== 0;
    const dictionaryIdBytes = DICTIONARY_ID_BYTES[descriptor & 0x03] ?? 0;
    let offset = isSingleSegment ? 0 : 1;

    const dictionaryId = readUint(this.#field, offset, dictionaryIdBytes);
    offset += dictionaryIdBytes;
    const contentSize = readContentSize(this.#field, offset, this.#fieldSize - offset);

    if (dictionaryId !== 0) {
      throw invalidZstd(
        `frame needs dictionary ${dictionaryId}, and dictionaries are not supported`,
      );
    }
    if (contentSize !== undefined && contentSize > this.#maxContentBytes) {
      throw new PayloadTooLargeError(
        `Decompressed request body exceeds the maximum of ${this.#maxContentBytes} bytes: a zstd frame declares ${contentSize} bytes`,
      );
    }

    const windowBytes = isSingleSegment ? (contentSize ?? 0) : windowSizeOf(this.#field[0] ?? 0);
    if (windowBytes > ZSTD_MAX_WINDOW_BYTES) {
      throw invalidZstd(
        `frame window of ${windowBytes} bytes exceeds the supported ${ZSTD_MAX_WINDOW_BYTES} bytes. Compress with level 19 or lower and without --long`,
      );
    }

    this.maxWindowBytes = Math.max(this.maxWindowBytes, windowBytes);
    this.#expect('block-header', 3);
  }

  #readBlockHeader(header: number): void {
    const isLastBlock = (header & 1) === 1;
    const blockType = (header >> 1) & 0x03;
    const blockSize = header >>> 3;

    if (blockType === 3) {
      throw invalidZstd('reserved block type');
    }
    if (blockSize > MAX_BLOCK_BYTES) {
      throw invalidZstd(`block of ${blockSize} bytes exceeds the 128 KiB maximum`);
    }

    // An RLE block (type 1) stores one byte and declares its decoded size.
    this.#skipBytes = blockType === 1 ? 1 : blockSize;

    if (!isLastBlock) {
      this.#expect('block-header', 3);
      return;
    }
    // NOTE: fzstd 0.1.1 skips the XXH64 content checksum without checking it, so corrupt raw or
    // literal bytes are not detected here.
    if ((this.#descriptor & 0x04) !== 0) {
      this.#skipBytes += CHECKSUM_BYTES;
    }
    this.#expect('magic', 4);
  }

  #expect(state: ScanState, size: number): void {
    this.#state = state;
    this.#fieldSize = size;
  }
}

// RFC 8878, 3.1.1.1.2: 2-byte sizes are stored minus 256.
function readContentSize(bytes: Uint8Array, offset: number, size: number): number | undefined {
  switch (size) {
    case 0:
      return undefined;
    case 2:
      return readUint(bytes, offset, 2) + 256;
    case 8:
      return readUint(bytes, offset, 4) + readUint(bytes, offset + 4, 4) * 2 ** 32;
    default:
      return readUint(bytes, offset, size);
  }
}

// RFC 8878, 3.1.1.1.2: window = 2^(10 + exponent) plus mantissa eighths of that.
function windowSizeOf(descriptor: number): number {
  const base = 2 ** (10 + (descriptor >> 3));
  return base + (base / 8) * (descriptor & 0x07);
}

// Little-endian unsigned integer of up to 4 bytes.
function readUint(bytes: Uint8Array, offset: number, size: number): number {
  let value = 0;
  for (let index = size - 1; index >= 0; index--) {
    value = value * 256 + (bytes[offset + index] ?? 0);
  }
  return value;
}

function invalidZstd(detail: string, cause?: unknown): AppError {
  return new AppError(400, 'bad_request', `Invalid zstd data in the request body: ${detail}`, {
    cause,
  });
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
