/**
 * Builds real minified bundles with esbuild, runs them to get the stack positions a browser
 * would report, and stores bundles, release files and their blobs the way the upload routes do,
 * for the symbolication tests.
 */
import { createHash, randomUUID } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import vm from 'node:vm';

import * as esbuild from 'esbuild';

import { createBlobKey, type BlobStore } from '../../src/server/platform/blobs/index.js';
import type { Db } from '../../src/server/platform/db/index.js';

/** The application of the test bundles: a call through a vendor helper, then two more calls. */
export const APP_SOURCES: Record<string, string> = {
  'src/app.js': [
    "import { withItems } from 'cartlib';",
    '',
    'function loadCart(id) {',
    '  return withItems({ id, items: [] }, priceCart);',
    '}',
    '',
    'function priceCart(cart) {',
    '  return sumItems(cart.items);',
    '}',
    '',
    'function sumItems(items) {',
    '  if (!items.length) {',
    '    throw new RangeError(`cart is empty (${items.length} items)`);',
    '  }',
    '  return items.length;',
    '}',
    '',
    "globalThis.runApp = () => loadCart('c-1');",
    '',
  ].join('\n'),
  'src/node_modules/cartlib/index.js': [
    'export function withItems(cart, callback) {',
    '  return callback(cart);',
    '}',
    '',
  ].join('\n'),
};

/** Line of `src/app.js` (1-based) that throws. */
export const THROW_LINE = 13;

export interface BuildOptions {
  /** Keep `sourcesContent` in the map (esbuild's default). */
  sourcesContent?: boolean;
  /** Rename identifiers to short names (esbuild's `minifyIdentifiers`). */
  minifyIdentifiers?: boolean;
  /** Text put before the bundle, to move its code to other lines. */
  banner?: string;
}

export interface BuiltBundle {
  /** The minified code with esbuild's `sourceMappingURL` comment removed. */
  code: string;
  map: Record<string, unknown>;
}

/** Bundles and minifies {@link APP_SOURCES} with esbuild, with an external source map. */
export async function buildApp(options: BuildOptions = {}): Promise<BuiltBundle> {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-bundle-'));
  try {
    for (const [name, text] of Object.entries(APP_SOURCES)) {
      fs.mkdirSync(path.dirname(path.join(root, name)), { recursive: true });
      fs.writeFileSync(path.join(root, name), text);
    }
    const result = await esbuild.build({
      absWorkingDir: root,
      entryPoints: ['src/app.js'],
      bundle: true,
      format: 'iife',
      minifyWhitespace: true,
      minifySyntax: true,
      minifyIdentifiers: options.minifyIdentifiers ?? true,
      sourcemap: 'linked',
      sourcesContent: options.sourcesContent ?? true,
      banner: options.banner === undefined ? {} : { js: options.banner },
      outfile: 'dist/app.min.js',
      write: false,
      logLevel: 'silent',
    });
    const outputs = result.outputFiles ?? [];
    const code = outputs.find((file) => file.path.endsWith('.js'))?.text ?? '';
    const map = outputs.find((file) => file.path.endsWith('.map'))?.text ?? '';
    return {
      code: code.replace(/\/\/# sourceMappingURL=.*\n?$/, ''),
      map: JSON.parse(map) as Record<string, unknown>,
    };
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** A stack frame in Sentry's layout. */
export interface EventFrame {
  filename: string;
  function?: string;
  lineno: number;
  colno: number;
  in_app: boolean;
}

/**
 * Runs a bundle as if it were loaded from `url`, calls `runApp`, and returns the frames of the
 * thrown error that point into the bundle, oldest first as Sentry lists them.
 */
export function throwFrames(code: string, url: string): EventFrame[] {
  const context = vm.createContext({});
  new vm.Script(code, { filename: url }).runInContext(context);
  let stack = '';
  try {
    (context as { runApp: () => unknown }).runApp();
  } catch (error) {
    stack = (error as Error).stack ?? '';
  }

  const frames: EventFrame[] = [];
  for (const line of stack.split('\n')) {
    const match = /^\s+at (?:(.+?) \()?(.+):(\d+):(\d+)\)?$/.exec(line);
    if (match?.[2] !== url) {
      continue;
    }
    frames.push({
      filename: url,
      ...(match[1] === undefined ? {} : { function: match[1] }),
      lineno: Number(match[3]),
      colno: Number(match[4]),
      in_app: true,
    });
  }
  if (frames.length === 0) {
    throw new Error(`the bundle threw no error with frames in ${url}:\n${stack}`);
  }
  return frames.reverse();
}

/** One file to store as an artifact. */
export interface ArtifactInput {
  url: string;
  type: 'minified_source' | 'source_map' | 'source';
  content: string;
  debugId?: string;
  headers?: Record<string, string>;
}

/** Stores artifact rows and blobs directly, as the upload routes leave them. */
export class ArtifactWriter {
  readonly #db: Db;
  readonly #blobs: BlobStore;

  constructor(db: Db, blobs: BlobStore) {
    this.#db = db;
    this.#blobs = blobs;
  }

  /** Stores an artifact bundle that serves the projects, and returns its row id. */
  async addBundle(options: {
    organizationId: number;
    projectIds: number[];
    release?: string;
    dist?: string;
    files: ArtifactInput[];
  }): Promise<number> {
    const size = options.files.reduce((total, file) => total + Buffer.byteLength(file.content), 0);
    const bundle = await this.#db.kysely
      .insertInto('artifactBundles')
      .values({
        organizationId: options.organizationId,
        bundleId: randomUUID(),
        checksum: createHash('sha1').update(randomUUID()).digest('hex'),
        release: options.release ?? null,
        dist: options.dist ?? null,
        fileCount: options.files.length,
        size,
        dateCreated: Date.now(),
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    const bundleId = Number(bundle.id);

    for (const projectId of options.projectIds) {
      await this.#db.kysely
        .insertInto('artifactBundleProjects')
        .values({ bundleId, projectId })
        .execute();
    }
    for (const file of options.files) {
      await this.#addFile(options.organizationId, { bundleId, releaseId: null, dist: '' }, file);
    }
    return bundleId;
  }

  /** Stores a file of a release, as the legacy per-file upload does, and returns its blob key. */
  async addReleaseFile(options: {
    organizationId: number;
    releaseId: number;
    dist?: string;
    file: ArtifactInput;
  }): Promise<string> {
    return this.#addFile(
      options.organizationId,
      { bundleId: null, releaseId: options.releaseId, dist: options.dist ?? '' },
      options.file,
    );
  }

  async #addFile(
    organizationId: number,
    owner: { bundleId: number | null; releaseId: number | null; dist: string },
    file: ArtifactInput,
  ): Promise<string> {
    const blobKey = createBlobKey('artifacts');
    const info = await this.#blobs.put(blobKey, Buffer.from(file.content));
    await this.#db.kysely
      .insertInto('artifactFiles')
      .values({
        organizationId,
        ...owner,
        name: file.url,
        url: file.url,
        fileType: file.type,
        debugId: file.debugId ?? null,
        headers: JSON.stringify({
          ...(file.debugId === undefined ? {} : { 'debug-id': file.debugId }),
          ...file.headers,
        }),
        blobKey,
        size: info.size,
        sha1: info.sha1,
        dateCreated: Date.now(),
      })
      .execute();
    return blobKey;
  }
}

/** Returns a bundle with the debug ID comment sentry-cli appends, and its map with the ID. */
export function withDebugId(bundle: BuiltBundle, debugId: string): BuiltBundle {
  return {
    code: `${bundle.code}\n//# debugId=${debugId}\n`,
    map: { ...bundle.map, debugId },
  };
}
