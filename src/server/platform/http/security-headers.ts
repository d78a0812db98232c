import type { FastifyInstance } from 'fastify';

// Scripts only from our own origin; inline styles are allowed because React sets style
// attributes.
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "frame-ancestors 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "object-src 'none'",
].join('; ');

// Browser features the UI never uses, switched off for the page and anything it embeds.
const PERMISSIONS_POLICY = [
  'camera=()',
  'microphone=()',
  'geolocation=()',
  'payment=()',
  'usb=()',
].join(', ');

/** HSTS lifetime: one year (365 days), the minimum that OWASP ASVS 5.0 (V3.4.1) sets. */
export const HSTS_MAX_AGE_SECONDS = 31_536_000;

/**
 * Adds the security headers of the web UI and API to every response outside ingest (the
 * `/api/<project id>/` paths, which browsers' SDKs call from other origins). Web API responses
 * (`/api/0/`) get `Cache-Control: no-store`, because most carry account or event data.
 */
export function registerSecurityHeaders(app: FastifyInstance, options: { hsts: boolean }): void {
  app.addHook('onSend', async (request, reply) => {
    if (/^\/api\/[1-9]\d*\//.test(request.url)) {
      return;
    }
    reply.header('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    reply.header('X-Content-Type-Options', 'nosniff');
    reply.header('X-Frame-Options', 'DENY');
    reply.header('Referrer-Policy', 'same-origin');
    reply.header('Cross-Origin-Opener-Policy', 'same-origin');
    reply.header('Permissions-Policy', PERMISSIONS_POLICY);
    if (request.url.replace(/^\/+/, '/').startsWith('/api/0/')) {
      reply.header('Cache-Control', 'no-store');
    }
    if (options.hsts) {
      reply.header(
        'Strict-Transport-Security',
        `max-age=${HSTS_MAX_AGE_SECONDS}; includeSubDomains`,
      );
    }
  });
}
