/**
 * TLS on Picket's own listener, with an RSA certificate for 127.0.0.1 made by openssl here: the
 * protocol and cipher suites it accepts, HSTS and Secure cookies, and a real @sentry/node client
 * that trusts the certificate through NODE_EXTRA_CA_CERTS.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { runCli, startPicket, waitFor, type PicketInstance } from '../helpers/picket.js';
import { NODE_CLIENT_DIR, runProgram } from '../live/clients.js';

interface HttpsResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

let folder: string;
let certFile: string;
let certificate: Buffer;
let picket: PicketInstance;
let port: number;
let token: string;

/** Sends one request over https, trusting only the test certificate. */
function httpsRequest(
  pathname: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<HttpsResponse> {
  return new Promise((resolve, reject) => {
    const request = https.request(
      {
        host: '127.0.0.1',
        port,
        path: pathname,
        method: options.method ?? 'GET',
        headers: options.headers,
        ca: certificate,
      },
      (response) => {
        let body = '';
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => (body += chunk));
        response.on('end', () =>
          resolve({ status: response.statusCode ?? 0, headers: response.headers, body }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

async function apiJson(method: string, pathname: string, body?: unknown): Promise<unknown> {
  const response = await httpsRequest(pathname, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  if (response.status >= 300) {
    throw new Error(`${method} ${pathname} returned ${response.status}: ${response.body}`);
  }
  return JSON.parse(response.body) as unknown;
}

/** Resolves with the negotiated protocol and suite, or rejects with the handshake error. */
function handshake(options: tls.ConnectionOptions): Promise<{ protocol: string; cipher: string }> {
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: '127.0.0.1', port, ca: certificate, ...options }, () => {
      const result = { protocol: socket.getProtocol() ?? '', cipher: socket.getCipher().name };
      socket.end();
      resolve(result);
    });
    socket.on('error', reject);
  });
}

beforeAll(async () => {
  folder = fs.mkdtempSync(path.join(os.tmpdir(), 'picket-tls-'));
  certFile = path.join(folder, 'cert.pem');
  const keyFile = path.join(folder, 'key.pem');
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-days',
      '1',
      '-subj',
      '/CN=127.0.0.1',
      '-addext',
      'subjectAltName=IP:127.0.0.1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ],
    { stdio: 'ignore' },
  );
  certificate = fs.readFileSync(certFile);

  picket = await startPicket({ env: { PICKET_TLS_CERT: certFile, PICKET_TLS_KEY: keyFile } });
  port = Number(new URL(picket.url).port);

  const email = 'tls@example.com';
  const created = await runCli(['createuser', '--email', email, '--password-stdin'], {
    env: picket.env,
    input: 'correct horse battery staple\n',
  });
  expect(created.code).toBe(0);
  const tokenRun = await runCli(
    [
      'token',
      'create',
      '--user',
      email,
      '--scopes',
      'org:read,org:write,project:read,project:write,event:read',
    ],
    { env: picket.env },
  );
  token = tokenRun.stdout.trim();
}, 60_000);

afterAll(async () => {
  await picket.stop();
  fs.rmSync(folder, { recursive: true, force: true });
});

describe('TLS listener', () => {
  it('announces an https URL', () => {
    expect(picket.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
  });

  it('rejects TLS 1.1', async () => {
    // SECLEVEL=0 lets this client offer TLS 1.1, so the rejection comes from the server.
    const attempt = handshake({
      minVersion: 'TLSv1.1',
      maxVersion: 'TLSv1.1',
      ciphers: 'DEFAULT@SECLEVEL=0',
    });

    await expect(attempt).rejects.toMatchObject({ code: 'ERR_SSL_TLSV1_ALERT_PROTOCOL_VERSION' });
  });

  it('rejects a static-RSA suite', async () => {
    const attempt = handshake({ maxVersion: 'TLSv1.2', ciphers: 'AES128-GCM-SHA256' });

    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  it('rejects a CBC suite', async () => {
    const attempt = handshake({ maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-SHA' });

    await expect(attempt).rejects.toMatchObject({
      code: 'ERR_SSL_SSLV3_ALERT_HANDSHAKE_FAILURE',
    });
  });

  it('accepts an ECDHE suite on TLS 1.2', async () => {
    const result = await handshake({
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-GCM-SHA256',
    });

    expect(result.protocol).toBe('TLSv1.2');
    expect(result.cipher).toBe('ECDHE-RSA-AES128-GCM-SHA256');
  });

  it('accepts ChaCha20 on TLS 1.2', async () => {
    const result = await handshake({
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-CHACHA20-POLY1305',
    });

    expect(result.cipher).toBe('ECDHE-RSA-CHACHA20-POLY1305');
  });

  it('prefers the server order', async () => {
    const result = await handshake({
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-CHACHA20-POLY1305:ECDHE-RSA-AES128-GCM-SHA256',
      honorCipherOrder: false,
    });

    expect(result.cipher).toBe('ECDHE-RSA-AES128-GCM-SHA256');
  });

  it('negotiates TLS 1.3 by default', async () => {
    const result = await handshake({});

    expect(result.protocol).toBe('TLSv1.3');
  });

  it('sends HSTS for one year', async () => {
    const response = await httpsRequest('/api/0/organizations/', {
      headers: { authorization: `Bearer ${token}` },
    });

    expect(response.status).toBe(200);
    expect(response.headers['strict-transport-security']).toBe(
      'max-age=31536000; includeSubDomains',
    );
  });

  it('marks the session cookie Secure', async () => {
    const response = await httpsRequest('/api/0/auth/login/', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'tls@example.com', password: 'correct horse battery staple' }),
    });
    const cookies = [response.headers['set-cookie'] ?? []].flat();

    expect(response.status).toBe(200);
    expect(cookies.length).toBeGreaterThan(0);
    for (const cookie of cookies) {
      expect(cookie).toMatch(/;\s*Secure/i);
    }
  });

  it('receives an event from @sentry/node over https', async () => {
    await apiJson('POST', '/api/0/organizations/', { name: 'TLS', slug: 'tls' });
    await apiJson('POST', '/api/0/teams/tls/tls/projects/', { name: 'Web', slug: 'web' });
    const keys = (await apiJson('GET', '/api/0/projects/tls/web/keys/')) as {
      dsn: { public: string };
    }[];
    const dsn = keys[0]?.dsn.public ?? '';
    expect(dsn).toMatch(/^https:\/\//);

    const stdout = await runProgram(
      process.execPath,
      [path.join(NODE_CLIENT_DIR, 'node-app.mjs'), dsn],
      {
        timeoutMs: 20_000,
        env: { ...process.env, NODE_EXTRA_CA_CERTS: certFile },
      },
    );
    const ids = JSON.parse(stdout.trim().split('\n').at(-1) ?? '{}') as { exception: string };

    const event = await waitFor(async () => {
      const response = await httpsRequest(`/api/0/projects/tls/web/events/${ids.exception}/`, {
        headers: { authorization: `Bearer ${token}` },
      });
      return response.status === 200
        ? (JSON.parse(response.body) as { eventID: string })
        : undefined;
    }, 15_000);
    expect(event.eventID).toBe(ids.exception);
  }, 40_000);
});
