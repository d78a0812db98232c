import type yauzl from 'yauzl';

import { BundleError } from './bundle-error.js';
import type { BundleLimits } from './bundle-reader.js';
import { checkEntryName } from './entry-names.js';

const UNIX_HOST = 3;
const FILE_TYPE_MASK = 0o170000;
const REGULAR_FILE = 0o100000;
const FOLDER = 0o040000;
const SYMBOLIC_LINK = 0o120000;
const ENCRYPTED_FLAG = 0x1;
const STORED = 0;
const DEFLATED = 8;
const LOCAL_HEADER_BYTES = 30;

/** Reads the central directory and rejects the first entry that is unsafe or over a limit. */
export async function readEntries(
  zip: yauzl.ZipFile,
  limits: BundleLimits,
): Promise<Map<string, yauzl.Entry>> {
  if (zip.entryCount > limits.maxEntries) {
    throw new BundleError(
      `The bundle has ${zip.entryCount} entries, more than the maximum of ${limits.maxEntries}`,
    );
  }

  const entries = new Map<string, yauzl.Entry>();
  const all: yauzl.Entry[] = [];
  let declaredTotal = 0;
  try {
    for await (const entry of zip.eachEntry()) {
      all.push(entry);
      const name = decodeEntryName(entry);
      checkEntry(name, entry, limits);
      if (name.endsWith('/')) {
        continue;
      }
      if (entries.has(name)) {
        throw new BundleError(`The bundle has two entries named ${JSON.stringify(name)}`);
      }
      declaredTotal += entry.uncompressedSize;
      if (declaredTotal > limits.maxTotalBytes) {
        throw new BundleError(
          `The bundle declares more than the maximum of ${limits.maxTotalBytes} uncompressed bytes`,
        );
      }
      entries.set(name, entry);
    }
  } catch (error) {
    if (error instanceof BundleError) {
      throw error;
    }
    throw new BundleError(`The bundle's ZIP directory is corrupt: ${describe(error)}`);
  }

  checkNoOverlap(all);
  return entries;
}

function decodeEntryName(entry: yauzl.Entry): string {
  // With `decodeStrings: false`, yauzl leaves the name as raw bytes. They are decoded as UTF-8,
  // ignoring the Info-ZIP Unicode path extra field, which could give an entry another name.
  const raw = entry.fileNameRaw;
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(raw);
  } catch {
    throw new BundleError(
      `The bundle has an entry whose name is not valid UTF-8: ${JSON.stringify(raw.toString('latin1').slice(0, 200))}`,
    );
  }
}

function checkEntry(name: string, entry: yauzl.Entry, limits: BundleLimits): void {
  const quoted = JSON.stringify(name.slice(0, 200));
  const problem = checkEntryName(name.endsWith('/') ? name.slice(0, -1) : name);
  if (problem !== undefined) {
    throw new BundleError(`Entry ${quoted} of the bundle is rejected: its name ${problem}`);
  }

  const mode = (entry.externalFileAttributes >>> 16) & FILE_TYPE_MASK;
  const isUnix = entry.versionMadeBy >>> 8 === UNIX_HOST;
  if (isUnix && mode === SYMBOLIC_LINK) {
    throw new BundleError(
      `Entry ${quoted} of the bundle is a symbolic link; bundles may contain only regular files`,
    );
  }
  if (isUnix && mode !== 0 && mode !== REGULAR_FILE && mode !== FOLDER) {
    throw new BundleError(
      `Entry ${quoted} of the bundle is a special file; bundles may contain only regular files`,
    );
  }
  if ((entry.generalPurposeBitFlag & ENCRYPTED_FLAG) !== 0) {
    throw new BundleError(`Entry ${quoted} of the bundle is encrypted`);
  }
  if (entry.compressionMethod !== STORED && entry.compressionMethod !== DEFLATED) {
    throw new BundleError(
      `Entry ${quoted} of the bundle uses compression method ${entry.compressionMethod}; use deflate or none`,
    );
  }
  if (entry.uncompressedSize > limits.maxEntryBytes) {
    throw new BundleError(
      `Entry ${quoted} of the bundle declares ${entry.uncompressedSize} bytes, more than the maximum of ${limits.maxEntryBytes}`,
    );
  }
}

/**
 * Rejects entries whose data overlap, the trick of zip bombs that point many entries at one
 * compressed stream. Each entry takes at least a local header and its compressed bytes.
 */
function checkNoOverlap(entries: yauzl.Entry[]): void {
  const sorted = [...entries].sort(
    (a, b) => a.relativeOffsetOfLocalHeader - b.relativeOffsetOfLocalHeader,
  );
  for (let index = 1; index < sorted.length; index += 1) {
    const previous = sorted[index - 1];
    const current = sorted[index];
    if (previous === undefined || current === undefined) {
      continue;
    }
    const previousEnd =
      previous.relativeOffsetOfLocalHeader + LOCAL_HEADER_BYTES + previous.compressedSize;
    if (current.relativeOffsetOfLocalHeader < previousEnd) {
      throw new BundleError(
        'Entries of the bundle overlap each other, as in a zip bomb; build it with sentry-cli',
      );
    }
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
