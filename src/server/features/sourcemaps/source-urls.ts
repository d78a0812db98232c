/**
 * URL rules of JavaScript symbolication, as Sentry applies them. They cover the artifact names a
 * frame URL can match and how a relative path joins a base URL, where Sentry's `~/` prefix
 * matches any host. They also find the source map that a minified file refers to.
 */

/**
 * Strips the scheme and host, or the leading `~`, from a URL and returns its path with a leading
 * `/`. A plain path comes back unchanged.
 */
export function stripHostname(url: string): string {
  if (url.startsWith('~')) {
    return url.slice(1);
  }

  const schemeEnd = url.indexOf('://');
  if (schemeEnd === -1) {
    return url;
  }

  const rest = url.slice(schemeEnd + 3);
  const pathStart = rest.indexOf('/');
  return pathStart === -1 ? rest : rest.slice(pathStart);
}

/**
 * Returns the artifact names a file URL can be stored under, best match first: the URL without
 * its fragment, then without its query, then the `~/` forms of both (any host). For
 * `https://cdn.example.com/a/b.js?x=1#y` that is the full URL with `?x=1`, the URL without the
 * query, `~/a/b.js?x=1` and `~/a/b.js`.
 */
export function releaseFileCandidates(url: string): string[] {
  const hashIndex = url.indexOf('#');
  const withoutFragment = hashIndex === -1 ? url : url.slice(0, hashIndex);
  const relative = stripHostname(withoutFragment);
  const candidates = [withoutFragment, withoutQuery(withoutFragment)];
  candidates.push(`~${relative}`, `~${withoutQuery(relative)}`);

  return [...new Set(candidates)];
}

function withoutQuery(url: string): string {
  const queryIndex = url.indexOf('?');
  return queryIndex === -1 ? url : url.slice(0, queryIndex);
}

/**
 * Joins a relative path to the URL or path of the file it appears in, the way Sentry resolves
 * source-map references and original source paths. `~/x` is absolute on the base's host. On
 * http(s) URLs, `..` past the root and `.` segments are dropped. A right side with a scheme or a
 * `webpack:` prefix is returned as it is.
 */
export function joinPaths(base: string, right: string): string {
  if (right.includes('://') || right.startsWith('webpack:')) {
    return right;
  }

  const schemeEnd = base.indexOf('://');
  const scheme = schemeEnd === -1 ? 'file' : base.slice(0, schemeEnd);
  const rest = schemeEnd === -1 ? base : base.slice(schemeEnd + 3);
  const relative = right.startsWith('~') ? right.slice(1) : right;

  if (relative.startsWith('/')) {
    if (scheme === 'file') {
      return relative;
    }
    // A leading `//` replaces the host as well.
    if (relative.startsWith('//')) {
      return `${scheme}:${relative}`;
    }
    const host = rest.split('/')[0] ?? '';
    return `${scheme}://${host}${relative}`;
  }

  const segments = rest.split('/');
  let prefix = '';
  if (scheme !== 'file') {
    prefix = `${scheme}://${segments.shift() ?? ''}`;
  } else if (segments[0] === '') {
    segments.shift();
  }
  // The base's own file name is not a folder.
  segments.pop();

  const isHttp = scheme === 'http' || scheme === 'https';
  let isFirst = true;
  for (const segment of relative.split('/')) {
    if (segment === '..' && (segments.pop() !== undefined || isHttp)) {
      continue;
    }
    if (segment === '.' && (isHttp || isFirst)) {
      continue;
    }
    isFirst = false;
    segments.push(segment);
  }

  return (
    prefix +
    segments
      .filter((segment) => segment !== '')
      .map((segment) => `/${segment}`)
      .join('')
  );
}

const SOURCE_MAPPING_URL = 'sourceMappingURL=';

/**
 * Returns the value of the last `//# sourceMappingURL=` (or older `//@ sourceMappingURL=`)
 * comment of a JavaScript file, or undefined when there is none. The comment must start its
 * line, after optional white space.
 */
export function findSourceMappingUrl(source: string): string | undefined {
  let end = source.length;

  while (end > 0) {
    const index = source.lastIndexOf(SOURCE_MAPPING_URL, end - 1);
    if (index < 4) {
      return undefined;
    }

    const marker = source.slice(index - 4, index);
    if ((marker === '//# ' || marker === '//@ ') && startsLine(source, index - 4)) {
      const lineEnd = source.slice(index).search(/[\r\n]/);
      const value = source
        .slice(index + SOURCE_MAPPING_URL.length, lineEnd === -1 ? undefined : index + lineEnd)
        .trim();
      if (value !== '') {
        return value;
      }
    }
    end = index;
  }

  return undefined;
}

function startsLine(source: string, index: number): boolean {
  for (let position = index - 1; position >= 0; position -= 1) {
    const char = source[position];
    if (char === '\n' || char === '\r') {
      return true;
    }
    if (char !== ' ' && char !== '\t') {
      return false;
    }
  }
  return true;
}

/** Reference from a minified file to its source map. */
export interface SourceMapReference {
  /** `header` for a `Sourcemap` or `X-SourceMap` header, `comment` for `sourceMappingURL`. */
  origin: 'header' | 'comment';
  value: string;
}

/**
 * Returns the source map a minified file names: its `Sourcemap` header, else its `X-SourceMap`
 * header, else its `sourceMappingURL` comment. Header names are compared without case.
 */
export function findSourceMapReference(
  headers: Record<string, string>,
  source: string | undefined,
): SourceMapReference | undefined {
  for (const name of ['sourcemap', 'x-sourcemap']) {
    const value = headers[name]?.trim();
    if (value !== undefined && value !== '') {
      return { origin: 'header', value };
    }
  }

  const comment = source === undefined ? undefined : findSourceMappingUrl(source);
  return comment === undefined ? undefined : { origin: 'comment', value: comment };
}

export function isDataUrl(url: string): boolean {
  return url.slice(0, 5).toLowerCase() === 'data:';
}

/**
 * Decodes the text of a `data:` URL, base64 (`data:application/json;base64,...`) or
 * percent-encoded. Returns undefined when the URL cannot be decoded.
 */
export function decodeDataUrl(url: string): string | undefined {
  const comma = url.indexOf(',');
  if (!isDataUrl(url) || comma === -1) {
    return undefined;
  }

  const parameters = url.slice(5, comma).toLowerCase().split(';');
  const payload = url.slice(comma + 1);
  if (parameters.includes('base64')) {
    return Buffer.from(payload, 'base64').toString('utf8');
  }

  try {
    return decodeURIComponent(payload);
  } catch {
    // A malformed percent escape: the caller reports the map as invalid.
    return undefined;
  }
}
