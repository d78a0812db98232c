import { randomUUID } from 'node:crypto';

import { z } from 'zod';

import { BundleError } from './bundle-error.js';
import { hasControlCharacter } from './entry-names.js';

/** File types of a source bundle, as symbolic and sentry-cli name them. */
export const SOURCE_FILE_TYPES = [
  'minified_source',
  'source_map',
  'source',
  'indexed_ram_bundle',
] as const;

export type SourceFileType = (typeof SOURCE_FILE_TYPES)[number];

/** Attributes of a bundle from its `manifest.json`. */
export interface BundleManifest {
  /** The bundle's own debug ID (`debug_id`), or a random UUID when the manifest has none. */
  bundleId: string;
  org: string | null;
  project: string | null;
  release: string | null;
  dist: string | null;
}

/** One entry of the manifest's `files`. */
export interface ManifestFile {
  path: string;
  url: string | null;
  type: SourceFileType;
  /** Headers with lower-case names. */
  headers: Record<string, string>;
  debugId: string | null;
}

const MAX_HEADERS = 64;

// PostgreSQL cannot store NUL in text, so no string of the manifest may contain one.
const text = (max: number) =>
  z
    .string()
    .max(max)
    .refine((value) => !value.includes('\u0000'), 'must not contain NUL');

// A URL names a release file, and release file names have no control characters.
const url = text(8192).refine(
  (value) => !hasControlCharacter(value),
  'must not contain line breaks, tabs or other control characters',
);

const fileSchema = z.object({
  url: url.nullish(),
  type: z.string().max(64).nullish(),
  headers: z
    .record(text(256), text(65_536))
    .refine((headers) => Object.keys(headers).length <= MAX_HEADERS, {
      error: `must have at most ${MAX_HEADERS} headers`,
    })
    .nullish(),
});

const manifestSchema = z.object({
  files: z.record(text(1024), fileSchema),
  debug_id: text(64).nullish(),
  org: text(200).nullish(),
  project: text(200).nullish(),
  release: text(250).nullish(),
  dist: text(64).nullish(),
});

const UUID_PATTERN = /^[0-9a-f]{8}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{4}-?[0-9a-f]{12}$/i;

/**
 * Parses `manifest.json` of a source bundle:
 * `{"files": {"<zip path>": {"url", "type", "headers": {"debug-id", "sourcemap"}}}, "debug_id",
 * "org", "project", "release", "dist"}`. A file without `type` is a `source_map` when its path
 * ends in `.map` and a `minified_source` otherwise.
 * @throws BundleError naming the first invalid field.
 */
export function parseManifest(text: string): { bundle: BundleManifest; files: ManifestFile[] } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new BundleError(`manifest.json is not valid JSON: ${(error as Error).message}`);
  }

  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const [issue] = result.error.issues;
    const where = issue === undefined ? '' : ` at ${formatPath(issue.path)}`;
    throw new BundleError(`manifest.json is invalid${where}: ${issue?.message ?? 'bad shape'}`);
  }

  const manifest = result.data;
  const files = Object.entries(manifest.files).map(([path, file]) => {
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(file.headers ?? {})) {
      headers[name.toLowerCase()] = value;
    }
    return {
      path,
      url: file.url ?? null,
      type: readFileType(path, file.type),
      headers,
      debugId: normalizeDebugId(headers['debug-id']),
    };
  });

  return {
    bundle: {
      bundleId: normalizeDebugId(manifest.debug_id) ?? randomUUID(),
      org: manifest.org ?? null,
      project: manifest.project ?? null,
      release: manifest.release ?? null,
      dist: manifest.dist ?? null,
    },
    files,
  };
}

/** Returns a debug ID as a lower-case hyphenated UUID, or null when it is not a UUID. */
export function normalizeDebugId(value: string | null | undefined): string | null {
  if (value === null || value === undefined || !UUID_PATTERN.test(value.trim())) {
    return null;
  }
  const hex = value.trim().replaceAll('-', '').toLowerCase();
  return [
    hex.slice(0, 8),
    hex.slice(8, 12),
    hex.slice(12, 16),
    hex.slice(16, 20),
    hex.slice(20),
  ].join('-');
}

function readFileType(path: string, type: string | null | undefined): SourceFileType {
  if (type === null || type === undefined) {
    return path.endsWith('.map') ? 'source_map' : 'minified_source';
  }
  if (!(SOURCE_FILE_TYPES as readonly string[]).includes(type)) {
    throw new BundleError(
      `manifest.json gives ${JSON.stringify(path.slice(0, 200))} the unknown type ${JSON.stringify(type)}; use one of ${SOURCE_FILE_TYPES.join(', ')}`,
    );
  }
  return type as SourceFileType;
}

function formatPath(path: PropertyKey[]): string {
  return path
    .map((key) => {
      const name = String(key);
      return /^[a-z_]+$/i.test(name) ? name : JSON.stringify(name);
    })
    .join('.');
}
