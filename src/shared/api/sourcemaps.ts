/**
 * Wire types of source-map symbolication and of the artifact endpoints: what the worker writes
 * into a symbolicated event, and the shapes of Sentry's release-file and artifact-bundle lists.
 */

/** The lookup path that found a frame's source map. */
export type MappingSource = 'debug-id' | 'release' | 'source-mapping-url';

/**
 * Why a frame was not mapped, or what is missing from a mapped frame. Each code has a plain
 * explanation and a fix on the issue page.
 * - `no_debug_id_match`: the event names a debug ID for the frame's file, but no uploaded map
 *   carries it.
 * - `no_release`: the event has neither a debug ID for the file nor a release to look in.
 * - `no_file_at_url`: the release has no minified file and no map at the frame's URL.
 * - `no_source_map_reference`: the minified file was found but names no source map (no
 *   `Sourcemap` header, no `sourceMappingURL` comment).
 * - `source_map_not_found`: the minified file names a map that was not uploaded.
 * - `invalid_source_map`: the map could not be read (not JSON, wrong version, bad mappings).
 * - `line_out_of_range`: the frame's line or column is past the end of the map.
 * - `no_mapping_at_position`: the map has no segment for the frame's position.
 * - `missing_sources_content`: mapped, but the map contains no source text, so no context lines.
 * - `missing_location`: the frame has no line or column to look up.
 * - `artifact_unreadable`: the stored file could not be read from the blob store.
 */
export type FrameMappingProblem =
  | 'no_debug_id_match'
  | 'no_release'
  | 'no_file_at_url'
  | 'no_source_map_reference'
  | 'source_map_not_found'
  | 'invalid_source_map'
  | 'line_out_of_range'
  | 'no_mapping_at_position'
  | 'missing_sources_content'
  | 'missing_location'
  | 'artifact_unreadable';

/**
 * The symbolication result of one frame, stored at `frame.data.symbolication` of a JavaScript
 * (or Node) frame that had an `abs_path` and a position. Frames that were never candidates
 * (native code, no file) carry nothing.
 */
export interface FrameSymbolication {
  status: 'mapped' | 'unmapped';
  /** Set when mapped. */
  resolvedWith?: MappingSource;
  /** Debug ID of the file, from `debug_meta.images`, when the event named one. */
  debugId?: string;
  /** Release and distribution looked in, when the lookup went by release. */
  release?: string;
  dist?: string;
  /** Name or URL of the minified file found, when one was. */
  minifiedFile?: string;
  /** Name or URL of the source map used or looked for. */
  sourceMap?: string;
  /** Empty for a fully mapped frame; the first entry is why an unmapped frame failed. */
  problems: FrameMappingProblem[];
  /** Set on frames whose file was not found, when a likely mistake was detected. */
  hints?: LookupHints;
}

/**
 * Facts the lookup found near a missing file, pointing at the usual mistakes: a release with no
 * uploads, a wrong `--url-prefix`, a wrong release name, or an upload to another project.
 */
export interface LookupHints {
  /** Files the release holds in all (bundles of its version serving the project and its own). */
  releaseFileCount?: number;
  /** URLs in the release that end in the frame's file name (up to 3). */
  sameNameUrls?: string[];
  /** Other releases of the project that hold a file at the frame's URL (up to 3). */
  otherReleases?: string[];
  /** Other projects of the organization holding the frame's debug ID (up to 3 slugs). */
  otherProjects?: string[];
}

/**
 * Sentry's event-level processing error, added to `event.errors` next to the per-frame data so
 * that Sentry-shaped clients see the same facts. `type` uses Sentry's names: `js_no_source`,
 * `js_invalid_source`, `js_invalid_sourcemap_location`, `js_missing_sources_content`.
 */
export interface EventProcessingError {
  type: string;
  url?: string;
  name?: string;
  value?: unknown;
}

/** One file of a release, as Sentry's `/releases/{version}/files/` lists it. */
export interface ReleaseFile {
  /** A string, as Sentry sends file ids. */
  id: string;
  name: string;
  dist: string | null;
  headers: Record<string, string>;
  size: number;
  sha1: string;
  dateCreated: string;
}

/** One artifact bundle, as `/projects/{org}/{project}/files/artifact-bundles/` lists it. */
export interface ArtifactBundle {
  bundleId: string;
  release: string | null;
  dist: string | null;
  fileCount: number;
  date: string;
  dateModified: string;
}

/** One file of an artifact bundle. */
export interface ArtifactBundleFile {
  id: string;
  filePath: string;
  fileSize: number;
  fileType: string;
  debugId: string | null;
  sourcemap: string | null;
}
