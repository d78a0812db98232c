/**
 * Paths of JavaScript frames: which frames symbolication looks at, how an original source path
 * from a source map becomes the frame's `filename` and `module`, and whether it is application
 * code. The rules follow Sentry's JavaScript processing.
 */

/** Platforms whose frames are mapped through source maps. */
export const SYMBOLICATED_PLATFORMS = new Set(['javascript', 'node']);

/** `abs_path` values that name no file: engine built-ins and evaluated code. */
const NO_FILE_PATHS = new Set([
  '[native code]',
  'native code',
  'native',
  '<anonymous>',
  'eval code',
]);

const URL_SCHEME = /^[a-z][a-z0-9+.-]*:\/\//i;
const WINDOWS_PATH = /^[a-z]:[\\/]/i;

/**
 * Tells whether a frame's `abs_path` names a file that an uploaded artifact can stand for: a URL
 * with a scheme, or a path. Node built-ins (`node:fs`, `internal/...`) and frames of evaluated
 * code are not files. On the `node` platform only absolute paths and `app:`, `webpack:` or
 * `file:` URLs count, because relative names there are Node's own modules.
 */
export function isArtifactPath(absPath: string, platform: string): boolean {
  if (absPath === '' || NO_FILE_PATHS.has(absPath)) {
    return false;
  }
  if (absPath.startsWith('node:') || absPath.startsWith('internal/')) {
    return false;
  }
  if (platform === 'node') {
    return (
      absPath.startsWith('/') || WINDOWS_PATH.test(absPath) || /^(app|webpack|file):/i.test(absPath)
    );
  }
  if (isPagePath(absPath)) {
    return false;
  }
  return URL_SCHEME.test(absPath) || absPath.includes('/') || absPath.includes('\\');
}

/**
 * Tells whether a browser frame's file is a page (`.html`, `.htm` or a path ending in `/`):
 * inline scripts and event-handler attributes run there, and no source map covers a page.
 */
function isPagePath(absPath: string): boolean {
  const end = absPath.search(/[?#]/);
  const path = (end === -1 ? absPath : absPath.slice(0, end)).toLowerCase();
  if (path.endsWith('.html') || path.endsWith('.htm')) {
    return true;
  }
  // `https://host` and `https://host/` are the site's start page.
  return path.endsWith('/') || /^[a-z][a-z0-9+.-]*:\/\/[^/]*$/.test(path);
}

const WEBPACK_NAMESPACE = /^webpack:\/\/[a-zA-Z0-9_\-@.]+\/\.\//;

/**
 * Rewrites a `webpack:` source path the way Sentry does: `/~/` marks a vendor path and becomes
 * `~/...`, `webpack://name/./x` becomes `./x`, and the `webpack:///` and `webpack://` prefixes
 * are dropped. Other paths come back unchanged.
 */
export function fixWebpackPath(source: string): string {
  const vendorIndex = source.indexOf('/~/');
  if (source.startsWith('webpack:') && vendorIndex !== -1) {
    return `~/${source.slice(vendorIndex + 3)}`;
  }
  if (WEBPACK_NAMESPACE.test(source)) {
    return source.replace(WEBPACK_NAMESPACE, './');
  }
  if (source.startsWith('webpack:///')) {
    return source.slice('webpack:///'.length);
  }
  if (source.startsWith('webpack://')) {
    return source.slice('webpack://'.length);
  }
  return source;
}

/**
 * Returns the `filename` shown for an original source: the webpack prefixes removed as in
 * {@link fixWebpackPath}, then a leading `./`. Relative paths such as `../src/app.ts` stay
 * relative, as the map gives them.
 */
export function cleanSourceFilename(source: string): string {
  const fixed = fixWebpackPath(source);
  return fixed.startsWith('./') ? fixed.slice(2) : fixed;
}

const NODE_MODULES = /(^|[\\/])node_modules[\\/]/;
const VENDOR_PATTERNS: RegExp[] = [
  NODE_MODULES,
  /(^|[\\/])bower_components[\\/]/,
  /^~\//,
  /\/~\//,
  /(^|\/)webpack\/(bootstrap|runtime)\b/,
  /^\(webpack\)/,
  /^webpack:\/\/\/?(webpack|external)\b/,
  /^external /,
];

/**
 * Decides `in_app` for a mapped frame from its original source. `source` is the path the map
 * gives, `absPath` the path resolved against the map's URL. As in Sentry, a `webpack:` source is
 * application code only when it is relative (`./src/...`) and outside `node_modules`, and an
 * `app:` URL is application code unless it is under `node_modules`. Everywhere else vendor and
 * bundler paths (`node_modules`, `bower_components`, `~/`, `webpack/bootstrap`, `webpack/runtime`,
 * externals) are not application code, and the rest is.
 */
export function isInAppSource(source: string, absPath: string): boolean {
  if (source.startsWith('webpack:')) {
    const fixed = fixWebpackPath(source);
    return fixed.startsWith('./') && !NODE_MODULES.test(fixed);
  }
  if (absPath.startsWith('app:')) {
    return !NODE_MODULES.test(absPath);
  }
  return !VENDOR_PATTERNS.some((pattern) => pattern.test(source) || pattern.test(absPath));
}

// Leading folders that tell nothing about the module (script and build folders, version
// numbers, short and long hashes), and a commit hash at the end of the name.
const NOISE_FOLDERS = [
  '(?:java)?scripts?',
  'js',
  'build',
  'static',
  'node_modules',
  'bower_components',
  '[_.~].*?',
  'v?(?:\\d+\\.)*\\d+',
  '[a-f0-9]{7,8}',
  '[a-f0-9]{32}',
  '[a-f0-9]{40}',
];
const MODULE_NOISE = new RegExp(
  `^(?:/|(?:${NOISE_FOLDERS.join('|')})/)+|(?:[-.][a-f0-9]{7,}$)`,
  'gi',
);
const HASH_SEGMENT = /^(?:[a-f0-9]{32}|[a-f0-9]{40})$/i;

/**
 * Derives a module name from a URL as Sentry's `generate_module` does: the path without host,
 * query, extension and `.min`, without the noise folders of {@link MODULE_NOISE}, and only the
 * part after a content-hash folder when there is one. `http://example.com/js/v1.0/foo/bar.js`
 * gives `foo/bar`.
 */
export function generateModule(url: string): string {
  let path = url.startsWith('~') ? url.slice(1) : url;
  const schemeEnd = path.indexOf('://');
  if (schemeEnd !== -1) {
    const rest = path.slice(schemeEnd + 3);
    const pathStart = rest.indexOf('/');
    path = pathStart === -1 ? rest : rest.slice(pathStart);
  }
  path = path.split(/[?#]/)[0] ?? '';

  const lastDot = path.lastIndexOf('.');
  if (lastDot > path.lastIndexOf('/')) {
    path = path.slice(0, lastDot);
  }
  if (path.endsWith('.min')) {
    path = path.slice(0, -'.min'.length);
  }

  const segments = path.split('/');
  const hashIndex = segments.findIndex((segment) => HASH_SEGMENT.test(segment));
  if (hashIndex !== -1) {
    return segments.slice(hashIndex + 1).join('/');
  }

  return path.replace(MODULE_NOISE, '');
}

/** Tells whether Sentry derives a `module` for a mapped frame with this `abs_path`. */
export function takesGeneratedModule(absPath: string): boolean {
  return /^(https?|webpack|app):/.test(absPath);
}
