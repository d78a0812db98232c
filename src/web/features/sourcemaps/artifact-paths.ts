/**
 * Display helpers for the URLs and paths of frames and uploaded artifacts. Release files are
 * matched by URL, and sentry-cli names them `~/path` when the host does not matter, so the UI
 * shows frame URLs in that form too.
 */

const HTTP_URL = /^https?:\/\//i;

/**
 * Names of Sentry's numeric `SourceFileType` values, which Sentry's artifact-bundle file list
 * sends as `fileType`. Picket may send the lower-case name instead, which is shown as it is.
 */
const FILE_TYPE_NAMES: Record<string, string> = {
  '1': 'Source',
  '2': 'Minified source',
  '3': 'Source map',
  '4': 'Indexed RAM bundle',
  source: 'Source',
  minified_source: 'Minified source',
  source_map: 'Source map',
  indexed_ram_bundle: 'Indexed RAM bundle',
};

/**
 * Converts an http(s) URL to the host-independent `~/path` form that sentry-cli's
 * `--url-prefix '~/...'` uploads under, dropping the query and fragment. Other values (file
 * paths, `app:///` URLs, text that is not a URL) are returned unchanged.
 */
export function toTildePath(url: string): string {
  if (!HTTP_URL.test(url)) {
    return url;
  }

  try {
    return `~${new URL(url).pathname}`;
  } catch {
    // Not a valid URL after all (a bad port, for one): show it as the SDK sent it.
    return url;
  }
}

/**
 * Returns the folder part of a path or `~/` path, as sentry-cli's `--url-prefix` expects it:
 * `~/assets/app.min.js` gives `~/assets`, and a file at the root gives `~/` (or `/`).
 */
export function urlPrefixOf(path: string): string {
  const withoutQuery = stripQueryAndFragment(path);
  const slash = withoutQuery.lastIndexOf('/');

  if (slash < 0) {
    return '~/';
  }

  const prefix = withoutQuery.slice(0, slash);
  if (prefix === '~' || prefix === '') {
    return `${prefix}/`;
  }

  // A scheme with an empty host, as in `app:///main.js`, keeps all its slashes.
  return /[:/]$/.test(prefix) ? withoutQuery.slice(0, slash + 1) : prefix;
}

/** Returns the last segment of a URL or path, without its query and fragment. */
export function fileNameOf(path: string): string {
  const withoutQuery = stripQueryAndFragment(path);
  const name = withoutQuery.slice(withoutQuery.lastIndexOf('/') + 1);
  return name === '' ? withoutQuery : name;
}

/** Names an artifact file type, whether the API sent Sentry's number or Picket's string. */
export function formatFileType(fileType: string | number | null | undefined): string {
  if (fileType === null || fileType === undefined || fileType === '' || fileType === 0) {
    return 'Unknown';
  }

  return FILE_TYPE_NAMES[String(fileType)] ?? String(fileType);
}

function stripQueryAndFragment(path: string): string {
  const end = path.search(/[?#]/);
  return end < 0 ? path : path.slice(0, end);
}
