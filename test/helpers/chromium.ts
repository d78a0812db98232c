/**
 * Debian's Chromium for the UI and browser SDK tests: launching it, opening pages, logging in
 * through the login form, and serving a built test page to it.
 */
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { chromium, type Browser, type Page } from 'playwright-core';

import { waitFor, type PicketInstance, type TestProject } from './picket.js';

export const CHROMIUM_PATH = '/usr/bin/chromium';

// Chromium's background services would try to reach the internet, which this machine blocks.
export const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Folder of the screenshots the UI tests save for review. `newPage` creates it. */
export const SCREENSHOT_DIR = fileURLToPath(new URL('../../test-results/ui/', import.meta.url));

/**
 * Launches Chromium headless. It waits up to five minutes for the binary, because Chromium may
 * still be installing from apt when the suite starts.
 */
export async function launchChromium(): Promise<Browser> {
  await waitFor(async () => (fs.existsSync(CHROMIUM_PATH) ? true : undefined), 300_000);
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** Throws an error that names the package to install when Chromium is missing. */
export function requireChromium(): void {
  if (!fs.existsSync(CHROMIUM_PATH)) {
    throw new Error(`${CHROMIUM_PATH} not found: install Debian's chromium package (see .ci/run)`);
  }
}

/** Opens a page of the given viewport and creates the screenshot folder. */
export function newPage(
  browser: Browser,
  viewport: { width: number; height: number } = { width: 1440, height: 1000 },
): Promise<Page> {
  fs.mkdirSync(SCREENSHOT_DIR, { recursive: true });
  return browser.newPage({ viewport });
}

export function screenshotPath(name: string): string {
  return path.join(SCREENSHOT_DIR, name);
}

/** Fills the login form the page shows with the project user's email and password and submits it. */
export async function submitLogin(page: Page, project: TestProject): Promise<void> {
  await page.getByLabel('Email').fill(project.email);
  await page.getByLabel('Password').fill(project.password);
  await page.getByRole('button', { name: 'Log in' }).click();
}

/** Opens the login page, logs in as the project's user and waits until the URL matches `landing`. */
export async function logIn(
  page: Page,
  picket: PicketInstance,
  project: TestProject,
  landing: RegExp,
): Promise<void> {
  await page.goto(`${picket.url}/auth/login/`);
  await submitLogin(page, project);
  await page.waitForURL(landing);
}

/**
 * Opens a page that requires a session, waits to be sent to the login page, and logs in there.
 * The caller waits for the page the login leads back to.
 */
export async function logInThrough(page: Page, url: string, project: TestProject): Promise<void> {
  await page.goto(url);
  await page.waitForURL(/\/auth\/login\//);
  await submitLogin(page, project);
}

/**
 * Calls `window.__picket.flush(timeoutMs)` of an SDK test page from test/clients/node, which
 * waits for the browser SDK to send what it has queued.
 */
export async function flushTestPage(page: Page, timeoutMs: number): Promise<void> {
  await page.evaluate(
    (timeout) =>
      (
        globalThis as unknown as { __picket: { flush(ms: number): Promise<boolean> } }
      ).__picket.flush(timeout),
    timeoutMs,
  );
}

/** Serves the files of one folder on 127.0.0.1 with a free port, with 404 for anything else. */
export async function startStaticServer(root: string): Promise<http.Server> {
  const contentTypes: Record<string, string> = {
    '.html': 'text/html; charset=utf-8',
    '.js': 'text/javascript; charset=utf-8',
  };
  const server = http.createServer((request, response) => {
    const pathname = new URL(request.url ?? '/', 'http://127.0.0.1').pathname;
    const file = path.join(root, pathname === '/' ? 'index.html' : path.normalize(pathname));
    if (!file.startsWith(root + path.sep) || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    const type = contentTypes[path.extname(file)] ?? 'application/octet-stream';
    response.writeHead(200, { 'content-type': type });
    response.end(fs.readFileSync(file));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}
