/**
 * A small ZIP writer for tests, which builds archives byte by byte so that a test can craft
 * what no real tool writes: lying sizes, symbolic links, overlapping entries, hostile names.
 * It writes local headers, file data, the central directory and the end record (no ZIP64,
 * no data descriptors).
 */
import { deflateRawSync, crc32 } from 'node:zlib';

export interface ZipEntrySpec {
  /** Entry name. A Buffer is written as raw bytes, such as invalid UTF-8. */
  name: string | Buffer;
  data?: Buffer | string;
  /** 0 stores, 8 deflates (the default). */
  method?: number;
  /** Raw bytes to write as the compressed data, in place of `data` deflated. */
  compressed?: Buffer;
  /** Uncompressed size written in both headers, in place of the real one. */
  declaredSize?: number;
  /** CRC-32 written in both headers, in place of the real one. */
  crc?: number;
  flags?: number;
  /** High byte 3 means Unix, which makes `mode` count. */
  versionMadeBy?: number;
  /** Unix mode (file type and permissions) stored in the external attributes. */
  mode?: number;
  /** Central-directory offset of the local header, in place of this entry's own. */
  pointsAtEntry?: number;
}

export interface ZipOptions {
  /** Bytes written before the archive, such as the 8-byte SYSB header. */
  prefix?: Buffer;
  /**
   * Whether offsets count from the start of the file (as sentry-cli writes them, the default)
   * or from the end of `prefix`.
   */
  offsetsFromFileStart?: boolean;
}

const UTF8_FLAG = 0x800;

/** Builds a ZIP archive from entry specifications. */
export function buildZip(entries: ZipEntrySpec[], options: ZipOptions = {}): Buffer {
  const prefix = options.prefix ?? Buffer.alloc(0);
  const base = options.offsetsFromFileStart === false ? 0 : prefix.length;
  const locals: Buffer[] = [];
  const offsets: number[] = [];
  const centrals: Buffer[] = [];
  let position = base;

  for (const entry of entries) {
    const name = typeof entry.name === 'string' ? Buffer.from(entry.name, 'utf8') : entry.name;
    const data = Buffer.from(entry.data ?? '');
    const method = entry.method ?? 8;
    const compressed = entry.compressed ?? (method === 8 ? deflateRawSync(data) : data);
    const size = entry.declaredSize ?? data.length;
    const crc = entry.crc ?? crc32(data);
    const flags = entry.flags ?? UTF8_FLAG;

    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(flags, 6);
    local.writeUInt16LE(method, 8);
    local.writeUInt32LE(0, 10);
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(compressed.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    offsets.push(position);
    locals.push(local, name, compressed);
    position += local.length + name.length + compressed.length;

    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE(entry.versionMadeBy ?? (3 << 8) | 20, 4);
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(flags, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt32LE(0, 12);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(compressed.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt16LE(0, 30);
    central.writeUInt16LE(0, 32);
    central.writeUInt16LE(0, 34);
    central.writeUInt16LE(0, 36);
    central.writeUInt32LE(((entry.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(0, 42);
    centrals.push(central, name);
  }

  // Local header offsets are known only now, so they are patched into the central records.
  for (const [index, entry] of entries.entries()) {
    const central = centrals[index * 2]!;
    const target = entry.pointsAtEntry ?? index;
    central.writeUInt32LE(offsets[target]!, 42);
  }

  const directory = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(position, 16);
  return Buffer.concat([prefix, ...locals, directory, end]);
}

/** The 8-byte header of a source bundle: `SYSB` and the version as a little-endian u32. */
export function sourceBundleHeader(version = 2): Buffer {
  const header = Buffer.alloc(8);
  header.write('SYSB', 0, 'latin1');
  header.writeUInt32LE(version, 4);
  return header;
}

export interface BundleFileSpec {
  path: string;
  content: string | Buffer;
  url?: string;
  type?: string;
  headers?: Record<string, string>;
}

/**
 * Builds a source bundle as sentry-cli does: the SYSB header, then a ZIP with each file under
 * its path and a `manifest.json` that lists them. `manifest` adds or replaces top-level
 * manifest fields, and `extraEntries` are written as given, after the files.
 */
export function buildSourceBundle(
  files: BundleFileSpec[],
  manifest: Record<string, unknown> = {},
  extraEntries: ZipEntrySpec[] = [],
  options: ZipOptions = {},
): Buffer {
  const listed: Record<string, unknown> = {};
  for (const file of files) {
    listed[file.path] = {
      type: file.type ?? (file.path.endsWith('.map') ? 'source_map' : 'minified_source'),
      url: file.url ?? `~/${file.path.split('/').pop() ?? file.path}`,
      headers: file.headers ?? {},
    };
  }
  const manifestJson = JSON.stringify({ files: listed, org: 'o', project: 'p', ...manifest });
  const entries: ZipEntrySpec[] = [
    ...files.map((file) => ({ name: file.path, data: Buffer.from(file.content) })),
    ...extraEntries,
    { name: 'manifest.json', data: manifestJson },
  ];
  return buildZip(entries, { prefix: sourceBundleHeader(), ...options });
}
