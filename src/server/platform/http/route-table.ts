import fs from 'node:fs';

import type { FastifyInstance } from 'fastify';

/** One registered route: an HTTP method and Fastify's URL pattern, such as `/api/0/issues/:id/`. */
export interface RouteTableEntry {
  method: string;
  url: string;
}

/**
 * Writes every route the app registers to `file` as a JSON array once the app is ready, for the
 * security tests that generate their authorization matrix from it. Call it before any route is
 * registered: Fastify's `onRoute` hook sees only routes added after it. The server sets it up
 * only when the `PICKET_ROUTE_TABLE` environment variable names a file.
 */
export function recordRouteTable(app: FastifyInstance, file: string): void {
  const routes: RouteTableEntry[] = [];

  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    for (const method of methods) {
      routes.push({ method, url: route.url });
    }
  });

  app.addHook('onReady', (done) => {
    fs.writeFileSync(file, `${JSON.stringify(routes, null, 2)}\n`);
    done();
  });
}
