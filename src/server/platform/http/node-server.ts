import fs from 'node:fs';
import http from 'node:http';
import https from 'node:https';

import type { FastifyServerFactory } from 'fastify';

/**
 * Limits of Picket's HTTP listener. Node's defaults (60 s for headers, checked every 30 s, and
 * 300 s per request) let a slow client hold a socket for minutes. An SDK sends its headers in
 * one write, so 5 s is ample. `requestTimeoutMs` covers the whole body, and 120 s lets a 40 MiB
 * upload through at about 350 KB/s.
 */
export const HTTP_LIMITS = {
  headersTimeoutMs: 5_000,
  requestTimeoutMs: 120_000,
  // NOTE: a proxy that keeps idle upstream sockets longer than this gets resets; not configurable yet.
  keepAliveTimeoutMs: 5_000,
  /** How often Node checks `headersTimeout` and `requestTimeout`; only settable at creation. */
  connectionsCheckingIntervalMs: 1_000,
  maxHeaderSize: 16 * 1024,
} as const;

/**
 * Forward-secret TLS 1.2 suites (ECDHE with AES-GCM or ChaCha20-Poly1305) and the three TLS 1.3
 * suites. Node's default list still offers static-RSA key exchange (`AES128-GCM-SHA256` and
 * others) in TLS 1.2, which this list leaves out.
 */
export const TLS_CIPHERS = [
  'TLS_AES_128_GCM_SHA256',
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
].join(':');

/** Certificate chain and private key files (PEM) for TLS on Picket's own listener. */
export interface TlsFiles {
  certFile: string;
  keyFile: string;
}

/** Reads a PEM file, naming the variable to fix when it cannot be read. */
function readPem(file: string, variable: string): Buffer {
  try {
    return fs.readFileSync(file);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code ?? String(error);
    throw new Error(`Cannot read ${variable} file ${JSON.stringify(file)} (${reason})`);
  }
}

/**
 * Returns Fastify's `serverFactory`, which creates the Node server with {@link HTTP_LIMITS}
 * and, when `tls` is given, serves https with TLS 1.2 or newer and {@link TLS_CIPHERS} only.
 * @throws Error when a TLS file cannot be read.
 */
export function createServerFactory(tls: TlsFiles | undefined): FastifyServerFactory {
  const httpOptions: http.ServerOptions = {
    headersTimeout: HTTP_LIMITS.headersTimeoutMs,
    requestTimeout: HTTP_LIMITS.requestTimeoutMs,
    keepAliveTimeout: HTTP_LIMITS.keepAliveTimeoutMs,
    connectionsCheckingInterval: HTTP_LIMITS.connectionsCheckingIntervalMs,
    maxHeaderSize: HTTP_LIMITS.maxHeaderSize,
  };
  const tlsOptions: https.ServerOptions | undefined =
    tls === undefined
      ? undefined
      : {
          cert: readPem(tls.certFile, 'PICKET_TLS_CERT'),
          key: readPem(tls.keyFile, 'PICKET_TLS_KEY'),
          minVersion: 'TLSv1.2',
          ciphers: TLS_CIPHERS,
          honorCipherOrder: true,
        };

  return (handler) =>
    tlsOptions === undefined
      ? http.createServer(httpOptions, handler)
      : https.createServer({ ...httpOptions, ...tlsOptions }, handler);
}
