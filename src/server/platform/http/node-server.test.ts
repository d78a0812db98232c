import http from 'node:http';

import { describe, expect, it } from 'vitest';

import { createServerFactory, HTTP_LIMITS, TLS_CIPHERS } from './node-server.js';

const handler: http.RequestListener = (_request, response) => {
  response.end();
};

describe('createServerFactory', () => {
  it('sets the listener limits', () => {
    const server = createServerFactory(undefined)(handler, {}) as http.Server;

    expect(server).toBeInstanceOf(http.Server);
    expect(server.headersTimeout).toBe(5_000);
    expect(server.requestTimeout).toBe(120_000);
    expect(server.keepAliveTimeout).toBe(5_000);
    expect((server as http.Server & { maxHeaderSize?: number }).maxHeaderSize).toBe(16_384);
    expect(HTTP_LIMITS.connectionsCheckingIntervalMs).toBe(1_000);
  });

  it('names an unreadable certificate', () => {
    expect(() =>
      createServerFactory({ certFile: '/nonexistent/cert.pem', keyFile: '/nonexistent/key.pem' }),
    ).toThrow(/Cannot read PICKET_TLS_CERT file "\/nonexistent\/cert.pem" \(ENOENT\)/);
  });

  it('lists only forward-secret AEAD suites', () => {
    const suites = TLS_CIPHERS.split(':');

    for (const suite of suites) {
      expect(suite).toMatch(/^(TLS_|ECDHE-)/);
      expect(suite).toMatch(/GCM|CHACHA20/);
    }
  });
});
