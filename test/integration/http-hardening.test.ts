/**
 * Security headers on pages, API responses, 404s and errors; files that must not be served; and
 * the listener's header timeout and header size limit.
 */
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  setupProject,
  startPicket,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

const WEB_ASSETS = fileURLToPath(new URL('../../dist/web/assets/', import.meta.url));

let picket: PicketInstance;
let project: TestProject;

beforeAll(async () => {
  picket = await startPicket();
  project = await setupProject(picket, 'headers');
}, 60_000);

afterAll(async () => {
  await picket.stop();
});

function expectSecurityHeaders(response: Response): void {
  const csp = response.headers.get('content-security-policy') ?? '';
  expect(csp).toContain("script-src 'self'");
  expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
  expect(csp).toContain("frame-ancestors 'none'");
  expect(csp).toContain("object-src 'none'");
  expect(csp).toContain("base-uri 'none'");
  expect(response.headers.get('cross-origin-opener-policy')).toBe('same-origin');
  const permissions = response.headers.get('permissions-policy') ?? '';
  expect(permissions).toContain('camera=()');
  expect(permissions).toContain('microphone=()');
  expect(permissions).toContain('geolocation=()');
  expect(response.headers.get('x-content-type-options')).toBe('nosniff');
  expect(response.headers.get('x-frame-options')).toBe('DENY');
  // Plain HTTP without an https PICKET_URL: HSTS would be ignored and is not sent.
  expect(response.headers.get('strict-transport-security')).toBeNull();
}

describe('security headers', () => {
  it('are on the HTML page', async () => {
    const response = await fetch(`${picket.url}/organizations/`);

    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expectSecurityHeaders(response);
  });

  it('are on an API response, with no-store', async () => {
    const response = await fetch(`${picket.url}/api/0/organizations/`, {
      headers: { authorization: `Bearer ${project.token}` },
    });

    expect(response.status).toBe(200);
    expectSecurityHeaders(response);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('are on an API 404', async () => {
    const response = await fetch(`${picket.url}/api/0/no-such-route/`, {
      headers: { authorization: `Bearer ${project.token}` },
    });

    expect(response.status).toBe(404);
    expectSecurityHeaders(response);
    expect(response.headers.get('cache-control')).toBe('no-store');
  });

  it('are on an error response', async () => {
    const unauthenticated = await fetch(`${picket.url}/api/0/organizations/`);
    const invalid = await fetch(`${picket.url}/api/0/organizations/`, {
      method: 'POST',
      headers: { authorization: `Bearer ${project.token}`, 'content-type': 'application/json' },
      body: '{"slug": 5',
    });

    expect(unauthenticated.status).toBe(401);
    expectSecurityHeaders(unauthenticated);
    expect(unauthenticated.headers.get('cache-control')).toBe('no-store');
    expect(invalid.status).toBe(400);
    expectSecurityHeaders(invalid);
  });

  it('are not on ingest responses', async () => {
    const response = await fetch(
      `${picket.url}/api/${project.projectId}/store/?sentry_key=${project.publicKey}`,
      { method: 'POST', body: JSON.stringify({ message: 'headers' }) },
    );

    expect(response.status).toBe(200);
    expect(response.headers.get('content-security-policy')).toBeNull();
  });
});

describe('files that are not served', () => {
  const paths = [
    '/.git/',
    '/.git/config',
    '/.git/HEAD',
    '/.env',
    '/config.json',
    '/package.json',
    '/package-lock.json',
    '/tsconfig.json',
    '/src/server/main/serve.ts',
    '/data/secret.key',
    '/secret.key',
    '/.well-known/security.txt',
  ];

  for (const pathname of paths) {
    it(`answers 404 for ${pathname}`, async () => {
      const response = await fetch(`${picket.url}${pathname}`);

      expect(response.status).toBe(404);
      expect(await response.text()).not.toContain('<html');
    });
  }

  it('answers 404 for the web bundle source maps', async () => {
    const maps = fs.readdirSync(WEB_ASSETS).filter((name) => name.endsWith('.map'));
    expect(maps.length).toBeGreaterThan(0);

    for (const map of maps) {
      const response = await fetch(`${picket.url}/assets/${map}`);
      expect(response.status).toBe(404);
    }
    const script = fs.readdirSync(WEB_ASSETS).find((name) => name.endsWith('.js')) ?? '';
    const bundle = await fetch(`${picket.url}/assets/${script}`);
    expect(bundle.status).toBe(200);
    expect(await bundle.text()).not.toMatch(/\/\/# sourceMappingURL=\S+\.map\s*$/);
  });

  it('keeps the source maps beside the bundle', () => {
    const script = fs.readdirSync(WEB_ASSETS).find((name) => name.endsWith('.js')) ?? '';

    expect(fs.existsSync(path.join(WEB_ASSETS, `${script}.map`))).toBe(true);
  });
});

/** Resolves with the milliseconds until the server closed a socket that never ends its headers. */
function timeSlowHeaders(url: string): Promise<number> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = net.connect(Number(port), hostname, () => {
      socket.write('GET /_health HTTP/1.1\r\nHost: 127.0.0.1\r\n');
      const drip = setInterval(() => socket.write('X-Slow: 1\r\n'), 500);
      socket.on('close', () => {
        clearInterval(drip);
        resolve(Date.now() - started);
      });
    });
    socket.on('error', () => undefined);
    setTimeout(() => {
      socket.destroy();
      reject(new Error('the server kept a slow-header socket open for 20 s'));
    }, 20_000);
  });
}

describe('listener limits', () => {
  it('closes slow-header sockets after the header timeout', async () => {
    const closedAfter = await Promise.all(
      Array.from({ length: 20 }, () => timeSlowHeaders(picket.url)),
    );

    // headersTimeout 5 s, checked every second: closed between 5 and about 6 s.
    for (const elapsed of closedAfter) {
      expect(elapsed).toBeGreaterThanOrEqual(4_900);
      expect(elapsed).toBeLessThan(8_000);
    }
    const health = await fetch(`${picket.url}/_health`);
    expect(health.status).toBe(200);
  }, 30_000);

  it('rejects headers over 16 KiB with 431', async () => {
    const response = await fetch(`${picket.url}/_health`, {
      headers: { 'x-large': 'a'.repeat(17 * 1024) },
    });

    expect(response.status).toBe(431);
  });

  it('accepts headers of 15 KiB', async () => {
    const response = await fetch(`${picket.url}/_health`, {
      headers: { 'x-large': 'a'.repeat(15 * 1024) },
    });

    expect(response.status).toBe(200);
  });
});
