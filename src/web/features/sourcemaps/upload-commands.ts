/**
 * The sentry-cli commands that the source map pages suggest, with the organization, project,
 * release and URL prefix filled in. Flags are those of sentry-cli 3.8.0 (`sourcemaps inject`,
 * `sourcemaps upload`).
 */

import type { RichText } from './mapping-checklist';

/** Folder of the built files in the suggested commands. */
export const BUILD_FOLDER = './dist';

/** Organization and project that an upload goes to. */
export interface UploadTarget {
  orgSlug: string;
  projectSlug: string;
}

export interface UploadCommandOptions {
  /** Left out of the command when null, so that sentry-cli reads `SENTRY_ORG` and the like. */
  target: UploadTarget | null;
  release?: string | null;
  dist?: string | null;
  /** URL prefix such as `~/assets`, left out when null. */
  urlPrefix?: string | null;
  /** Adds `--validate`, which checks the maps before they are uploaded. */
  validate?: boolean;
}

const SHELL_SAFE = /^[A-Za-z0-9@%+=:,./_-]+$/;

/**
 * Quotes a value for a POSIX shell. Values of safe characters stay bare, and anything else goes in
 * single quotes, which a shell never expands. A `~` at the start of a bare word would expand
 * to the home folder, so `~/assets` is quoted too.
 */
export function shellQuote(value: string): string {
  if (SHELL_SAFE.test(value)) {
    return value;
  }

  return `'${value.replaceAll("'", `'\\''`)}'`;
}

/** Builds `sentry-cli sourcemaps inject`, which writes debug IDs into the built files and maps. */
export function buildInjectCommand(folder: string = BUILD_FOLDER): string {
  return `sentry-cli sourcemaps inject ${shellQuote(folder)}`;
}

/**
 * Builds `sentry-cli sourcemaps upload` with the given options, for the build folder. The command
 * always has `--wait`: without it, sentry-cli stops at "processing pending on server" and exits 0
 * even when the server then rejects the bundle, and with it, sentry-cli exits 1 with the reason.
 */
export function buildUploadCommand(options: UploadCommandOptions): string {
  const parts = ['sentry-cli', 'sourcemaps', 'upload', '--wait'];

  if (options.target !== null) {
    parts.push('--org', shellQuote(options.target.orgSlug));
    parts.push('--project', shellQuote(options.target.projectSlug));
  }

  if (options.release != null && options.release !== '') {
    parts.push('--release', shellQuote(options.release));

    // The assemble endpoint rejects a distribution without a release.
    if (options.dist != null && options.dist !== '') {
      parts.push('--dist', shellQuote(options.dist));
    }
  }

  if (options.urlPrefix != null && options.urlPrefix !== '') {
    parts.push('--url-prefix', shellQuote(options.urlPrefix));
  }

  if (options.validate === true) {
    parts.push('--validate');
  }

  parts.push(shellQuote(BUILD_FOLDER));
  return parts.join(' ');
}

/**
 * Builds the note under an upload command with `--url-prefix`, whose folder must be the one that
 * contains the minified file. sentry-cli appends each file's path below the folder to the prefix,
 * so `./dist` with `dist/assets/app.min.js` and `~/assets` would upload `~/assets/assets/app.min.js`.
 */
export function buildFolderNote(fileName: string): RichText {
  return [
    'Run it with ',
    { code: BUILD_FOLDER },
    ' replaced by the folder that holds ',
    { code: fileName },
    ', because sentry-cli adds the path of each file below that folder to the URL prefix.',
  ];
}

/**
 * Builds the `export` lines that point sentry-cli at this Picket server. The token stays a
 * placeholder, because the page cannot read the user's tokens.
 */
export function buildCliEnvironment(serverUrl: string): string {
  const url = serverUrl.endsWith('/') ? serverUrl : `${serverUrl}/`;
  return [`export SENTRY_URL=${shellQuote(url)}`, 'export SENTRY_AUTH_TOKEN=your-api-token'].join(
    '\n',
  );
}
