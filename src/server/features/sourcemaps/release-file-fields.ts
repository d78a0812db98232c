import { ValidationError } from '../../platform/errors.js';

/** Maximum length of a file name, which is a URL such as `~/static/js/app.min.js`. */
export const MAX_FILE_NAME_LENGTH = 2000;
/** Maximum length of a distribution name, as in Sentry's `Distribution.name` column. */
export const MAX_DIST_LENGTH = 64;

const MAX_HEADERS = 50;
const MAX_HEADER_KEY_LENGTH = 128;
const MAX_HEADER_VALUE_LENGTH = 8192;
// Control characters, and lone UTF-16 surrogates, which no UTF-8 column can store.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const FORBIDDEN_CHARACTER = /[\u0000-\u001f\u007f]|\p{Cs}/u;
const SOURCE_MAPPING_URL = /(?:\/\/|\/\*)[#@][ \t]*sourceMappingURL=\S/;
const UUID = /^([0-9a-f]{8})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{4})-?([0-9a-f]{12})$/i;

/**
 * Checks a release file name. Names are stored and compared as plain text and never used as a
 * path, so `..` and `/` are fine. Control characters are not: PostgreSQL text cannot hold NUL
 * or a lone surrogate, and Sentry rejects line breaks and tabs. Sentry also rejects a backslash after the last `/`.
 * @throws ValidationError naming what is wrong.
 */
export function checkFileName(name: string): void {
  if (name.length > MAX_FILE_NAME_LENGTH) {
    throw new ValidationError(
      `File name is ${name.length} characters long: use at most ${MAX_FILE_NAME_LENGTH}`,
      { name: [`Ensure this field has no more than ${MAX_FILE_NAME_LENGTH} characters`] },
    );
  }
  const basename = name.slice(name.lastIndexOf('/') + 1);
  if (FORBIDDEN_CHARACTER.test(name) || basename.includes('\\')) {
    throw new ValidationError(
      'File name must not contain NUL, line breaks, tabs, other control characters or a backslash after the last "/"',
      { name: ['File name must not contain special whitespace characters'] },
    );
  }
}

/**
 * Checks a distribution name: at most 64 characters, without whitespace or control characters,
 * as sentry-cli requires.
 * @throws ValidationError naming what is wrong.
 */
export function checkDist(dist: string): void {
  if (dist.length > MAX_DIST_LENGTH || /\s/.test(dist) || FORBIDDEN_CHARACTER.test(dist)) {
    throw new ValidationError(
      `Invalid dist ${JSON.stringify(dist.slice(0, 80))}: use at most ${MAX_DIST_LENGTH} characters without whitespace`,
      { dist: ['Invalid distribution name'] },
    );
  }
}

/**
 * Builds a file's headers from the content type of its part and the `header` fields
 * (`Key:Value`, split at the first colon, both sides trimmed). A field replaces an earlier
 * header of the same name in any case.
 * @throws ValidationError for a malformed field, control characters or too many headers.
 */
export function parseHeaderFields(contentType: string, fields: string[]): Record<string, string> {
  if (fields.length > MAX_HEADERS) {
    throw new ValidationError(`Too many headers (${fields.length}): send at most ${MAX_HEADERS}`);
  }

  // Keyed by the lower-case name, so that a later header replaces one of the same name.
  const headers = new Map<string, [string, string]>();
  if (contentType !== '' && !FORBIDDEN_CHARACTER.test(contentType) && contentType.length <= 200) {
    headers.set('content-type', ['Content-Type', contentType]);
  }

  for (const field of fields) {
    const colon = field.indexOf(':');
    const key = field.slice(0, colon).trim();
    const value = field.slice(colon + 1).trim();
    if (colon < 0 || key === '' || key.length > MAX_HEADER_KEY_LENGTH) {
      throw new ValidationError(
        `Header ${JSON.stringify(field.slice(0, 80))} was not formatted correctly: use Key:Value`,
        { header: ['header value was not formatted correctly'] },
      );
    }
    if (FORBIDDEN_CHARACTER.test(key) || FORBIDDEN_CHARACTER.test(value)) {
      throw new ValidationError(
        `Header ${JSON.stringify(key.slice(0, 80))} must not contain line breaks, tabs or other control characters`,
        { header: ['header value must not contain special whitespace characters'] },
      );
    }
    if (value.length > MAX_HEADER_VALUE_LENGTH) {
      throw new ValidationError(
        `Header ${JSON.stringify(key)} is ${value.length} characters long: use at most ${MAX_HEADER_VALUE_LENGTH}`,
      );
    }

    headers.set(key.toLowerCase(), [key, value]);
  }
  return Object.fromEntries(headers.values());
}

/** Returns a header's value, matching its name in any case. */
export function findHeader(headers: Record<string, string>, name: string): string | undefined {
  const key = findHeaderKey(headers, name);
  return key === undefined ? undefined : headers[key];
}

function findHeaderKey(headers: Record<string, string>, name: string): string | undefined {
  const lower = name.toLowerCase();
  return Object.keys(headers).find((key) => key.toLowerCase() === lower);
}

/** Returns the source map a file names in its `Sourcemap` or `X-SourceMap` header. */
export function findSourceMapHeader(headers: Record<string, string>): string | undefined {
  return findHeader(headers, 'sourcemap') ?? findHeader(headers, 'x-sourcemap');
}

/** Returns a debug ID as a lower-case UUID with dashes, or null when it is not a UUID. */
export function normalizeDebugId(value: string | undefined): string | null {
  const match = value === undefined ? null : UUID.exec(value.trim());
  return match === null ? null : match.slice(1, 6).join('-').toLowerCase();
}

/**
 * Decides a release file's type. A name ending in `.map` is a `source_map`. A file that names
 * its map, by a `Sourcemap` header or a `sourceMappingURL` comment in `tail` (the end of the
 * content), is a `minified_source`. Any other file is a `release_file`, of unknown type.
 */
export function detectFileType(name: string, headers: Record<string, string>, tail: string) {
  const path = name.split(/[?#]/, 1)[0] ?? name;
  if (path.toLowerCase().endsWith('.map')) {
    return 'source_map';
  }
  if (findSourceMapHeader(headers) !== undefined || SOURCE_MAPPING_URL.test(tail)) {
    return 'minified_source';
  }
  return 'release_file';
}

/**
 * Returns a `Content-Disposition` value that downloads a file under the last part of its name.
 * The plain `filename` keeps only safe ASCII characters, and `filename*` carries the exact name
 * percent-encoded (RFC 6266), so no name can break out of the header.
 */
export function contentDisposition(name: string): string {
  const path = name.split(/[?#]/, 1)[0] ?? name;
  const basename = path.slice(path.lastIndexOf('/') + 1) || 'file';
  const ascii = basename.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '_');
  const encoded = encodeURIComponent(basename).replace(
    /['()*!]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
