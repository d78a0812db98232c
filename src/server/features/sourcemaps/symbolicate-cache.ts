import { BlobNotFoundError, type BlobStore } from '../../platform/blobs/index.js';
import { ArtifactTooLargeError, ByteLruCache, readBlobText } from './artifact-cache.js';
import { parseSourceMap, type ParsedSourceMap } from './source-map.js';

/** Largest source map or source file that symbolication reads, in bytes. */
export const MAX_ARTIFACT_BYTES = 64 * 1024 * 1024;

/** Budget of the cache of parsed maps and file texts of one worker thread, in bytes. */
export const CACHE_BUDGET_BYTES = 64 * 1024 * 1024;

/** Reason an artifact could not be used. */
export type ArtifactFailure = 'unreadable' | 'too_large' | 'invalid';

/** A loaded artifact, or why it failed; `error` is the read error behind `unreadable`. */
export type Loaded<T> =
  { ok: true; value: T } | { ok: false; failure: ArtifactFailure; error?: unknown };

// NOTE: The size of a parsed map is an estimate: two bytes per character of its text plus its
// decoded mappings. Parsing the jQuery map of symbolic's test data and a React Native map of
// rust-sourcemap's grew the heap by 0.55 to 0.6 times that. The scope index that function names
// build from the minified file is not counted.
const FAILURE_BYTES = 64;

function estimateMapBytes(text: string, map: ParsedSourceMap): number {
  return text.length * 2 + map.mappings.segments.byteLength + map.mappings.lineStarts.byteLength;
}

/**
 * Parsed source maps and artifact texts of one worker thread, keyed by blob key, in one LRU
 * bounded by {@link CACHE_BUDGET_BYTES}. Blob keys are never reused for other content, so an
 * entry never goes stale. Maps that fail to parse are remembered too, so a broken upload is
 * not parsed again for every event.
 */
export class ArtifactCache {
  readonly #entries: ByteLruCache<Loaded<ParsedSourceMap> | Loaded<string>>;
  readonly #blobs: BlobStore;

  constructor(blobs: BlobStore, budgetBytes = CACHE_BUDGET_BYTES) {
    this.#blobs = blobs;
    this.#entries = new ByteLruCache(budgetBytes);
  }

  get totalBytes(): number {
    return this.#entries.totalBytes;
  }

  /** Reads a stored file as text. Files over {@link MAX_ARTIFACT_BYTES} are not read. */
  async text(blobKey: string, size: number): Promise<Loaded<string>> {
    const key = `text:${blobKey}`;
    const cached = this.#entries.get(key) as Loaded<string> | undefined;
    if (cached !== undefined) {
      return cached;
    }

    const loaded = await this.#read(blobKey, size);
    this.#remember(key, loaded, loaded.ok ? loaded.value.length * 2 : FAILURE_BYTES);
    return loaded;
  }

  /** Reads and parses a stored source map. */
  async sourceMap(blobKey: string, size: number): Promise<Loaded<ParsedSourceMap>> {
    const key = `map:${blobKey}`;
    const cached = this.#entries.get(key) as Loaded<ParsedSourceMap> | undefined;
    if (cached !== undefined) {
      return cached;
    }

    const text = await this.#read(blobKey, size);
    const loaded = text.ok ? this.#parse(key, text.value) : text;
    if (!loaded.ok) {
      this.#remember(key, loaded, FAILURE_BYTES);
    }
    return loaded;
  }

  /** Parses a source map given inline (a `data:` URL), cached under `cacheKey`. */
  inlineSourceMap(cacheKey: string, text: string): Loaded<ParsedSourceMap> {
    const key = `inline:${cacheKey}`;
    const cached = this.#entries.get(key) as Loaded<ParsedSourceMap> | undefined;
    if (cached !== undefined) {
      return cached;
    }

    const loaded = this.#parse(key, text);
    if (!loaded.ok) {
      this.#remember(key, loaded, FAILURE_BYTES);
    }
    return loaded;
  }

  // A failed read may succeed later (a blob written late, a transient I/O error), so only
  // results that depend on the content alone are kept.
  #remember(key: string, loaded: Loaded<ParsedSourceMap> | Loaded<string>, bytes: number): void {
    if (loaded.ok || loaded.failure !== 'unreadable') {
      this.#entries.set(key, loaded, bytes);
    }
  }

  #parse(key: string, text: string): Loaded<ParsedSourceMap> {
    let map: ParsedSourceMap;
    try {
      map = parseSourceMap(text);
    } catch {
      // parseSourceMap raises SourceMapError for any text that is not a usable map, and the
      // frame records the map as invalid.
      return { ok: false, failure: 'invalid' };
    }

    const loaded = { ok: true as const, value: map };
    this.#entries.set(key, loaded, estimateMapBytes(text, map));
    return loaded;
  }

  async #read(blobKey: string, size: number): Promise<Loaded<string>> {
    if (size > MAX_ARTIFACT_BYTES) {
      return { ok: false, failure: 'too_large' };
    }

    try {
      return { ok: true, value: await readBlobText(this.#blobs, blobKey, MAX_ARTIFACT_BYTES) };
    } catch (error) {
      if (error instanceof ArtifactTooLargeError) {
        return { ok: false, failure: 'too_large' };
      }
      // A missing blob is expected after a partly failed upload or delete. Any other read error
      // is passed on for the caller to log.
      return error instanceof BlobNotFoundError
        ? { ok: false, failure: 'unreadable' }
        : { ok: false, failure: 'unreadable', error };
    }
  }
}
