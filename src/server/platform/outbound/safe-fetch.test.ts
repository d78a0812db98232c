import { promises as dns } from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { OutboundAllowList } from './allow-list.js';
import { OutboundError } from './outbound-error.js';
import { pinnedLookup } from './resolve-target.js';
import { safeFetch } from './safe-fetch.js';

interface Received {
  method: string;
  url: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** Starts a server on 127.0.0.1 that responds by path and records every request it reads. */
async function startServer(route: (request: Received, response: http.ServerResponse) => void) {
  const received: Received[] = [];
  const server = http.createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const entry = {
        method: request.method ?? '',
        url: request.url ?? '',
        headers: request.headers,
        body: Buffer.concat(chunks).toString('utf8'),
      };
      received.push(entry);
      route(entry, response);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    received,
    origin: `http://127.0.0.1:${port}`,
    close: () => {
      server.closeAllConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

async function fetchError(promise: Promise<unknown>): Promise<OutboundError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(OutboundError);
  return error as OutboundError;
}

const POST = { method: 'POST' as const, body: '{"hello":"world"}' };
const ALLOW_LOOPBACK = new OutboundAllowList(['127.0.0.1']);

describe('safeFetch', () => {
  let server: Awaited<ReturnType<typeof startServer>>;
  let otherPort: number;

  beforeAll(async () => {
    server = await startServer((request, response) => {
      const [path = '', query = ''] = request.url.split('?');
      const target = new URLSearchParams(query).get('to') ?? '';
      if (path === '/hook') {
        response.writeHead(201, { 'Content-Type': 'text/plain' });
        response.end('created\u0000\u001b[31m\u202Eok\r\nnext line');
      } else if (path.startsWith('/redirect/')) {
        const headers = target === '' ? {} : { Location: target };
        response.writeHead(Number(path.slice('/redirect/'.length)), headers);
        response.end('moved');
      } else if (path === '/loop') {
        response.writeHead(302, { Location: '/loop' });
        response.end();
      } else if (path === '/large') {
        response.writeHead(200);
        response.end('x'.repeat(1024 * 1024));
      } else {
        response.writeHead(404);
        response.end('not here');
      }
    });
    // A port nothing listens on: closed at once after it was chosen.
    const spare = await startServer(() => undefined);
    otherPort = spare.port;
    await spare.close();
  });

  afterAll(async () => {
    await server.close();
  });

  it('refuses a loopback address without an allow-list entry', async () => {
    const error = await fetchError(
      safeFetch(
        { url: `${server.origin}/hook?token=secret-token`, ...POST },
        { allow: new OutboundAllowList([]) },
      ),
    );
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(
      'refused: 127.0.0.1 is a loopback address; allow it with PICKET_OUTBOUND_ALLOW',
    );
    expect(error.message).not.toContain('secret-token');
    expect(server.received.filter((entry) => entry.url.includes('secret-token'))).toEqual([]);
  });

  it.each([
    ['http://[::1]:9/', 'refused: ::1 is a loopback address'],
    ['http://[::ffff:127.0.0.1]:9/', 'refused: ::ffff:7f00:1 is a loopback address'],
    ['http://0x7f000001:9/', 'refused: 127.0.0.1 is a loopback address'],
    ['http://2130706433:9/', 'refused: 127.0.0.1 is a loopback address'],
    ['https://169.254.169.254/latest/meta-data/', 'refused: 169.254.169.254 is a link-local'],
    ['http://[64:ff9b::a00:5]/', 'refused: 64:ff9b::a00:5 is an address of 10.0.0.5'],
  ])('refuses the address literal %s', async (url, message) => {
    const error = await fetchError(
      safeFetch({ url, method: 'GET' }, { allow: new OutboundAllowList(['127.0.0.2']) }),
    );
    expect(error.kind).toBe('refused');
    expect(error.message).toContain(message);
  });

  it('sends to an allowed address with the body and headers', async () => {
    const response = await safeFetch(
      { url: `${server.origin}/hook`, ...POST, headers: { 'X-Test': 'yes' } },
      { allow: ALLOW_LOOPBACK },
    );
    expect(response.status).toBe(201);
    const request = server.received.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.body).toBe('{"hello":"world"}');
    expect(request.headers['x-test']).toBe('yes');
    expect(request.headers.host).toBe(`127.0.0.1:${server.port}`);
  });

  it('strips control characters from the excerpt', async () => {
    const response = await safeFetch(
      { url: `${server.origin}/hook`, ...POST },
      { allow: ALLOW_LOOPBACK },
    );
    expect(response.excerpt).toBe('created [31m ok next line');
  });

  it('refuses a redirect to an address not allowed', async () => {
    const before = server.received.length;
    const to = encodeURIComponent(`http://127.0.0.2:${otherPort}/inside`);
    const error = await fetchError(
      safeFetch(
        { url: `${server.origin}/redirect/302?to=${to}`, ...POST },
        { allow: ALLOW_LOOPBACK },
      ),
    );
    expect(error.kind).toBe('refused');
    expect(error.message).toBe(
      'refused: 127.0.0.2 is a loopback address; allow it with PICKET_OUTBOUND_ALLOW',
    );
    expect(server.received.length).toBe(before + 1);
  });

  it('checks every address of a redirect host name', async () => {
    const addresses = (await dns.lookup('localhost', { all: true })).map((entry) => entry.address);
    const to = encodeURIComponent(`http://localhost:${server.port}/hook`);
    const result = await safeFetch(
      { url: `${server.origin}/redirect/307?to=${to}`, ...POST },
      { allow: new OutboundAllowList(['127.0.0.1/32']) },
    ).then(
      (response) => ({ status: response.status, error: undefined }),
      (error: unknown) => ({ status: undefined, error: error as OutboundError }),
    );

    const outside = addresses.find((address) => address !== '127.0.0.1');
    if (outside === undefined) {
      // localhost resolves to 127.0.0.1 only here, which the range allows.
      expect(result.status).toBe(201);
    } else {
      expect(result.error?.kind).toBe('refused');
      expect(result.error?.message).toContain(`localhost resolves to ${outside}, which is`);
    }
  });

  it('refuses a host name that resolves to loopback', async () => {
    const error = await fetchError(
      safeFetch(
        { url: `http://localhost:${server.port}/hook`, ...POST },
        { allow: new OutboundAllowList([]) },
      ),
    );
    expect(error.kind).toBe('refused');
    expect(error.message).toMatch(
      /^refused: localhost resolves to (127\.0\.0\.1|::1), which is a loopback address; allow it with PICKET_OUTBOUND_ALLOW$/,
    );
  });

  it('connects to the pinned address, not a new DNS answer', async () => {
    // `.invalid` never resolves, so the request arrives only through the pinned address.
    const status = await new Promise<number>((resolve, reject) => {
      const request = http.request(
        {
          host: 'picket-pinned.invalid',
          port: server.port,
          path: '/hook',
          agent: false,
          lookup: pinnedLookup([{ address: '127.0.0.1', family: 4 }]),
        },
        (response) => {
          response.resume();
          resolve(response.statusCode ?? 0);
        },
      );
      request.on('error', reject);
      request.end();
    });
    expect(status).toBe(201);
    expect(server.received.at(-1)!.headers.host).toBe(`picket-pinned.invalid:${server.port}`);
  });

  it('allows a listed host name whatever it resolves to', async () => {
    const response = await safeFetch(
      { url: `http://LOCALHOST:${server.port}/hook`, ...POST },
      { allow: new OutboundAllowList(['localhost']) },
    );
    expect(response.status).toBe(201);
  });

  it('keeps method and body through a 307 redirect', async () => {
    const to = encodeURIComponent('/hook');
    const response = await safeFetch(
      { url: `${server.origin}/redirect/307?to=${to}`, ...POST },
      { allow: ALLOW_LOOPBACK },
    );
    expect(response.status).toBe(201);
    expect(response.redirects).toBe(1);
    const request = server.received.at(-1)!;
    expect(request.method).toBe('POST');
    expect(request.body).toBe('{"hello":"world"}');
  });

  it('turns a 303 redirect into a GET without body', async () => {
    const to = encodeURIComponent('/hook');
    const response = await safeFetch(
      {
        url: `${server.origin}/redirect/303?to=${to}`,
        ...POST,
        headers: { 'Content-Type': 'application/json' },
      },
      { allow: ALLOW_LOOPBACK },
    );
    expect(response.status).toBe(201);
    const request = server.received.at(-1)!;
    expect(request.method).toBe('GET');
    expect(request.body).toBe('');
    expect(request.headers['content-type']).toBeUndefined();
  });

  it('stops after three redirects', async () => {
    const before = server.received.length;
    const error = await fetchError(
      safeFetch({ url: `${server.origin}/loop`, ...POST }, { allow: ALLOW_LOOPBACK }),
    );
    expect(error.kind).toBe('redirect');
    expect(error.message).toBe('too many redirects (more than 3)');
    expect(server.received.length - before).toBe(4);
  });

  it('returns a redirect without Location as the response', async () => {
    const response = await safeFetch(
      { url: `${server.origin}/redirect/302`, ...POST },
      { allow: ALLOW_LOOPBACK },
    );
    expect(response.status).toBe(302);
  });

  it('reads at most the response cap', async () => {
    const response = await safeFetch(
      { url: `${server.origin}/large`, method: 'GET' },
      { allow: ALLOW_LOOPBACK, maxResponseBytes: 1024 },
    );
    expect(response.status).toBe(200);
    expect(response.excerpt).toBe('x'.repeat(200));
  });

  it('rejects URLs that are not http or carry credentials', async () => {
    const ftp = await fetchError(
      safeFetch({ url: 'ftp://127.0.0.1/file', method: 'GET' }, { allow: ALLOW_LOOPBACK }),
    );
    expect(ftp.kind).toBe('invalid_url');
    const credentials = await fetchError(
      safeFetch(
        { url: `http://user:hunter2@127.0.0.1:${server.port}/hook`, method: 'GET' },
        { allow: ALLOW_LOOPBACK },
      ),
    );
    expect(credentials.kind).toBe('invalid_url');
    expect(credentials.message).not.toContain('hunter2');
    const invalid = await fetchError(
      safeFetch({ url: 'not a url', method: 'GET' }, { allow: ALLOW_LOOPBACK }),
    );
    expect(invalid.kind).toBe('invalid_url');
  });

  it('reports a refused connection as a network error', async () => {
    const error = await fetchError(
      safeFetch(
        { url: `http://127.0.0.1:${otherPort}/`, method: 'GET' },
        { allow: ALLOW_LOOPBACK },
      ),
    );
    expect(error.kind).toBe('network');
    expect(error.retryable).toBe(true);
    expect(error.message).toContain('ECONNREFUSED');
  });
});

describe('safeFetch timeout', () => {
  it('times out against a server that never answers', async () => {
    const silent = await startServer(() => undefined);
    try {
      const started = performance.now();
      const error = await fetchError(
        safeFetch({ url: `${silent.origin}/`, ...POST }, { allow: ALLOW_LOOPBACK, timeoutMs: 300 }),
      );
      expect(error.kind).toBe('timeout');
      expect(error.message).toBe('timed out after 0.3 s');
      expect(error.retryable).toBe(true);
      expect(performance.now() - started).toBeLessThan(5_000);
    } finally {
      await silent.close();
    }
  });

  it('stops when the caller aborts', async () => {
    const silent = await startServer(() => undefined);
    try {
      const controller = new AbortController();
      const pending = safeFetch(
        { url: `${silent.origin}/`, ...POST },
        { allow: ALLOW_LOOPBACK, signal: controller.signal },
      );
      controller.abort();
      const error = await fetchError(pending);
      expect(error.kind).toBe('aborted');
    } finally {
      await silent.close();
    }
  });
});
