import net from 'node:net';

import Fastify from 'fastify';
import { describe, expect, it } from 'vitest';

import { rejectDuringShutdown } from './shutdown.js';

/** Sends the rest of a request on `socket` and returns the raw response head. */
function finishRequest(socket: net.Socket, rest: string): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    socket.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\r\n\r\n')) {
        resolve(text);
      }
    });
    socket.on('error', reject);
    socket.on('close', () => resolve(text));
    socket.write(rest);
  });
}

describe('rejectDuringShutdown', () => {
  it('answers 503 with Retry-After while closing', async () => {
    const app = Fastify({ return503OnClosing: false });
    rejectDuringShutdown(app);
    app.get('/ping', () => ({ ok: true }));
    let releaseClose: () => void = () => undefined;
    const closeGate = new Promise<void>((resolve) => {
      releaseClose = resolve;
    });
    // Holds the close open until the request below gets its reply.
    app.addHook('onClose', async () => {
      await closeGate;
    });
    await app.listen({ port: 0, host: '127.0.0.1' });
    const address = app.server.address() as net.AddressInfo;

    // A request whose headers are still arriving keeps its connection open through the close.
    const socket = net.connect({ host: '127.0.0.1', port: address.port });
    await new Promise((resolve) => socket.once('connect', resolve));
    socket.write('GET /ping HTTP/1.1\r\nHost: 127.0.0.1\r\n');
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closing = app.close();
    await new Promise((resolve) => setImmediate(resolve));
    const head = await finishRequest(socket, '\r\n');
    socket.destroy();
    releaseClose();
    await closing;

    expect(head).toMatch(/^HTTP\/1\.1 503 /);
    expect(head).toMatch(/\r\nretry-after: 5\r\n/i);
    expect(head).toMatch(/\r\nconnection: close\r\n/i);
  });
});
