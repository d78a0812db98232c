import fsPromises from 'node:fs/promises';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import { crc32 } from 'node:zlib';

import yauzl from 'yauzl';

import { checkHeader, FileRangeReader, findArchiveStart } from './bundle-container.js';
import { readEntries } from './bundle-entries.js';
import { BundleError } from './bundle-error.js';
import { checkEntryName } from './entry-names.js';
import {
  parseManifest,
  type BundleManifest,
  type ManifestFile,
  type SourceFileType,
} from './bundle-manifest.js';

export { BundleError } from './bundle-error.js';
export { SOURCE_FILE_TYPES, type BundleManifest, type SourceFileType } from './bundle-manifest.js';

/** Limits on one bundle. Inflated bytes are counted as they come out, never taken from headers. */
export interface BundleLimits {
  /** Entries of the ZIP's central directory, folders included. */
  maxEntries: number;
  /** Uncompressed bytes of one entry. */
  maxEntryBytes: number;
  /** Uncompressed bytes of all entries read from one bundle. */
  maxTotalBytes: number;
  /** Uncompressed bytes per compressed byte of one entry, once it passed `ratioFloorBytes`. */
  maxRatio: number;
  ratioFloorBytes: number;
  /** Uncompressed bytes of `manifest.json`. */
  maxManifestBytes: number;
}

/**
 * Picket's own limits. Deflate compresses at most about 1,000 to 1, which zip bombs come close
 * to. @sentry/browser 11.17.0 minified by esbuild deflates by 2.9 to 1, and its map by 4.7.
 */
export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxEntries: 20_000,
  // Symbolication reads files up to 64 MiB, so a larger file is refused here, where the
  // client still hears about it, instead of being stored and never used.
  maxEntryBytes: 64 * 1024 * 1024,
  maxTotalBytes: 2 * 1024 * 1024 * 1024,
  maxRatio: 100,
  ratioFloorBytes: 1024 * 1024,
  maxManifestBytes: 32 * 1024 * 1024,
};

/** One file that `manifest.json` lists. */
export interface BundleFile {
  /** Path of the ZIP entry, such as `files/_/_/app.min.js`. */
  path: string;
  /** URL the file was served at, such as `~/app.min.js`, or null when the manifest gives none. */
  url: string | null;
  type: SourceFileType;
  /** Headers of the file, with lower-case names. */
  headers: Record<string, string>;
  /** The `debug-id` header, lower-case, when it is a UUID. */
  debugId: string | null;
  /** Uncompressed size that the ZIP declares. The real size is counted while reading. */
  declaredSize: number;
}

const MANIFEST_PATH = 'manifest.json';

/**
 * A source bundle opened from a file: the 8-byte header (`SYSB` and a little-endian u32
 * version) followed by a ZIP archive with `manifest.json` and the files it lists. Every entry
 * is checked when the bundle opens. File content is inflated only by {@link openFile}, within
 * the limits. Entry names are only looked up, never used as paths.
 */
export class SourceBundle {
  readonly manifest: BundleManifest;
  readonly files: BundleFile[];
  readonly #archive: CheckedArchive;

  constructor(archive: CheckedArchive, manifest: BundleManifest, files: BundleFile[]) {
    this.#archive = archive;
    this.manifest = manifest;
    this.files = files;
  }

  /**
   * Opens the uncompressed content of one file. The stream fails with a BundleError when the
   * entry passes a limit, is corrupt or fails its CRC-32 check.
   */
  openFile(file: BundleFile): Promise<Readable> {
    return this.#archive.open(file.path);
  }

  /** Closes the archive and its file. Calling it again does nothing. */
  close(): void {
    this.#archive.close();
  }
}

/** The entries of a ZIP archive after their checks, with the inflated bytes counted. */
class CheckedArchive {
  readonly entries: Map<string, yauzl.Entry>;
  readonly #zip: yauzl.ZipFile;
  readonly #limits: BundleLimits;
  #inflatedBytes = 0;
  #closed = false;

  constructor(zip: yauzl.ZipFile, entries: Map<string, yauzl.Entry>, limits: BundleLimits) {
    this.#zip = zip;
    this.entries = entries;
    this.#limits = limits;
  }

  async open(path: string): Promise<Readable> {
    const entry = this.entries.get(path);
    if (entry === undefined) {
      throw new BundleError(`The bundle has no file ${JSON.stringify(path)}`);
    }

    let source: Readable;
    try {
      source = await this.#zip.openReadStreamPromise(entry);
    } catch (error) {
      throw new BundleError(
        `Failed to read ${JSON.stringify(path)} from the bundle: ${describe(error)}`,
        { cause: error },
      );
    }

    const guard = new InflationGuard(path, entry, this.#limits, (bytes) => {
      this.#inflatedBytes += bytes;
      return this.#inflatedBytes;
    });
    source.on('error', (error) => {
      guard.destroy(
        new BundleError(
          `Failed to read ${JSON.stringify(path)} from the bundle: ${error.message}`,
          {
            cause: error,
          },
        ),
      );
    });
    guard.on('close', () => {
      source.destroy();
    });
    return source.pipe(guard);
  }

  close(): void {
    if (this.#closed) {
      return;
    }
    this.#closed = true;
    this.#zip.close();
  }
}

/**
 * Counts the bytes an entry inflates to and fails at the first byte past a limit: the entry's
 * size, the bundle's total, or the compression ratio. Checks the CRC-32 at the end.
 */
class InflationGuard extends Transform {
  readonly #path: string;
  readonly #entry: yauzl.Entry;
  readonly #limits: BundleLimits;
  readonly #addToTotal: (bytes: number) => number;
  #size = 0;
  #crc = 0;

  constructor(
    path: string,
    entry: yauzl.Entry,
    limits: BundleLimits,
    addToTotal: (bytes: number) => number,
  ) {
    super();
    this.#path = path;
    this.#entry = entry;
    this.#limits = limits;
    this.#addToTotal = addToTotal;
  }

  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback) {
    this.#size += chunk.length;
    const total = this.#addToTotal(chunk.length);
    const name = JSON.stringify(this.#path);
    const limits = this.#limits;

    if (this.#size > limits.maxEntryBytes) {
      callback(
        new BundleError(
          `File ${name} inflates to more than the maximum of ${limits.maxEntryBytes} bytes`,
        ),
      );
      return;
    }
    if (total > limits.maxTotalBytes) {
      callback(
        new BundleError(
          `The bundle inflates to more than the maximum of ${limits.maxTotalBytes} bytes`,
        ),
      );
      return;
    }
    const compressed = Math.max(this.#entry.compressedSize, 1);
    if (this.#size > limits.ratioFloorBytes && this.#size > compressed * limits.maxRatio) {
      callback(
        new BundleError(
          `File ${name} inflates more than ${limits.maxRatio} times its compressed size, as a zip bomb does`,
        ),
      );
      return;
    }

    this.#crc = crc32(chunk, this.#crc);
    callback(null, chunk);
  }

  override _flush(callback: TransformCallback) {
    if (this.#crc !== this.#entry.crc32) {
      callback(new BundleError(`File ${JSON.stringify(this.#path)} fails its CRC-32 check`));
      return;
    }
    callback();
  }
}

/**
 * Opens a source bundle and checks it: the header, every entry of the ZIP and the manifest.
 * The caller must {@link SourceBundle.close} it.
 * @throws BundleError naming the first problem found.
 */
export async function openSourceBundle(
  file: string,
  limits: BundleLimits = DEFAULT_BUNDLE_LIMITS,
): Promise<SourceBundle> {
  const handle = await fsPromises.open(file, 'r');
  let zip: yauzl.ZipFile | undefined;
  try {
    const size = (await handle.stat()).size;
    await checkHeader(handle, size);
    const base = await findArchiveStart(handle, size);
    const reader = new FileRangeReader(handle, base);
    zip = await yauzl
      .fromRandomAccessReaderPromise(reader, size - base, {
        autoClose: false,
        lazyEntries: true,
        decodeStrings: false,
        validateEntrySizes: true,
      })
      .catch((error: unknown) => {
        throw new BundleError(`The bundle is not a readable ZIP archive: ${describe(error)}`);
      });

    const archive = new CheckedArchive(zip, await readEntries(zip, limits), limits);
    const manifest = parseManifest(await readManifestText(archive, limits));
    const files = listFiles(manifest.files, archive.entries);
    return new SourceBundle(archive, manifest.bundle, files);
  } catch (error) {
    if (zip === undefined) {
      await handle.close();
    } else {
      zip.close();
    }
    throw error;
  }
}

async function readManifestText(archive: CheckedArchive, limits: BundleLimits): Promise<string> {
  const entry = archive.entries.get(MANIFEST_PATH);
  if (entry === undefined) {
    throw new BundleError('The bundle has no manifest.json; build it with sentry-cli');
  }
  const tooLarge = () =>
    new BundleError(`manifest.json has more than the maximum of ${limits.maxManifestBytes} bytes`);
  if (entry.uncompressedSize > limits.maxManifestBytes) {
    throw tooLarge();
  }

  const pieces: Buffer[] = [];
  let size = 0;
  for await (const piece of await archive.open(MANIFEST_PATH)) {
    const buffer = piece as Buffer;
    size += buffer.length;
    if (size > limits.maxManifestBytes) {
      throw tooLarge();
    }
    pieces.push(buffer);
  }
  return Buffer.concat(pieces).toString('utf8');
}

function listFiles(files: ManifestFile[], entries: Map<string, yauzl.Entry>): BundleFile[] {
  return files.map((file) => {
    const problem = checkEntryName(file.path);
    if (problem !== undefined) {
      throw new BundleError(
        `manifest.json lists ${JSON.stringify(file.path.slice(0, 200))}, whose name ${problem}`,
      );
    }
    const entry = entries.get(file.path);
    if (entry === undefined) {
      throw new BundleError(
        `manifest.json lists ${JSON.stringify(file.path.slice(0, 200))}, but the bundle has no such file`,
      );
    }
    return { ...file, declaredSize: entry.uncompressedSize };
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
