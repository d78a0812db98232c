/**
 * A small minified browser app for the source map UI tests. esbuild builds it with a source map,
 * and the real sentry-cli 3.8.0 injects debug IDs and uploads it to Picket. Running the minified
 * code in a `vm` context yields the stack frames a browser SDK would send.
 */
import fs from 'node:fs';
import path from 'node:path';
import vm from 'node:vm';

import * as esbuild from 'esbuild';

import type { PicketInstance, TestProject } from '../helpers/picket.js';
import { runSentryCliAt, type CliRun } from '../helpers/sentry-cli.js';

export type { CliRun };
import { NODE_CLIENT_DIR } from '../live/clients.js';

const SENTRY_CLI = path.join(NODE_CLIENT_DIR, 'node_modules/.bin/sentry-cli');

/** Origin the app is treated as served from, so frames carry URLs under it. */
export const APP_ORIGIN = 'https://shop.example.com';
export const URL_PREFIX = '~/assets';

/** The original source, whose lines the mapped frames must show. */
export const CHECKOUT_SOURCE = [
  'export function submitOrder(cart) {',
  '  const total = cart.items.reduce((sum, item) => sum + item.price, 0);',
  '  if (total === 0) {',
  "    throw new RangeError('cart is empty (' + cart.items.length + ' items)');",
  '  }',
  '  return total;',
  '}',
  '',
].join('\n');

const MAIN_SOURCE = [
  "import { submitOrder } from './checkout.js';",
  '',
  'export function checkoutButtonClicked() {',
  '  return submitOrder({ items: [] });',
  '}',
  '',
  'globalThis.checkoutButtonClicked = checkoutButtonClicked;',
  '',
].join('\n');

/** One stack frame in the shape @sentry/browser sends, oldest first. */
export interface MinifiedFrame {
  filename: string;
  function: string;
  lineno: number;
  colno: number;
  in_app: boolean;
}

/**
 * Writes the app's sources under `workDir/src` and builds `workDir/dist/<name>`: minified, with
 * `<name>.map` next to it and a `sourceMappingURL` comment that names the map.
 */
export async function buildApp(workDir: string, name: string): Promise<string> {
  const sourceDir = path.join(workDir, 'src');
  fs.mkdirSync(sourceDir, { recursive: true });
  fs.writeFileSync(path.join(sourceDir, 'checkout.js'), CHECKOUT_SOURCE);
  fs.writeFileSync(path.join(sourceDir, 'main.js'), MAIN_SOURCE);

  const outfile = path.join(workDir, 'dist', name);
  await esbuild.build({
    entryPoints: [path.join(sourceDir, 'main.js')],
    outfile,
    bundle: true,
    format: 'iife',
    target: 'es2020',
    minify: true,
    sourcemap: 'linked',
    sourcesContent: true,
    logLevel: 'warning',
  });
  return outfile;
}

/** Runs sentry-cli 3.8.0 in `workDir` against the Picket under test. */
export function runSentryCli(
  picket: PicketInstance,
  project: TestProject,
  workDir: string,
  args: string[],
): Promise<CliRun> {
  return runSentryCliAt(SENTRY_CLI, picket, project, workDir, args);
}

/** Reads the debug ID that `sentry-cli sourcemaps inject` wrote into a minified file. */
export function readInjectedDebugId(file: string): string {
  const match = /\/\/# debugId=([0-9a-fA-F-]{36})/.exec(fs.readFileSync(file, 'utf8'));
  if (match?.[1] === undefined) {
    throw new Error(`no debugId comment in ${file}`);
  }
  return match[1].toLowerCase();
}

/**
 * Runs the minified file as if a browser loaded it from `url`, calls the click handler, and
 * returns the frames of the thrown error in that file, oldest first as Sentry sends them.
 */
export function captureMinifiedFrames(file: string, url: string): MinifiedFrame[] {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(file, 'utf8'), context, { filename: url });

  let stack = '';
  try {
    vm.runInContext('checkoutButtonClicked()', context, { filename: 'inline-handler.js' });
  } catch (error) {
    stack = (error as Error).stack ?? '';
  }

  const frames = stack
    .split('\n')
    .map((line) => /^\s*at (?:(.+?) \()?(.+):(\d+):(\d+)\)?$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null && match[2] === url)
    .map((match) => ({
      filename: url,
      function: match[1] ?? '?',
      lineno: Number(match[3]),
      colno: Number(match[4]),
      in_app: true,
    }));

  if (frames.length === 0) {
    throw new Error(`the app threw no error with frames in ${url}:\n${stack}`);
  }
  return frames.reverse();
}
