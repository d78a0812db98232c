/**
 * What went wrong with an outbound request:
 * - `invalid_url`: not an http(s) URL, or one with credentials;
 * - `refused`: the destination is not public and not allowed by `PICKET_OUTBOUND_ALLOW`;
 * - `redirect`: too many redirects, or a redirect without a usable `Location`;
 * - `timeout`: the request did not finish in time;
 * - `network`: DNS, connection or TLS failures;
 * - `aborted`: the caller's signal stopped the request.
 */
export type OutboundErrorKind =
  'invalid_url' | 'refused' | 'redirect' | 'timeout' | 'network' | 'aborted';

/**
 * An outbound request that failed before a final response arrived. Messages name hosts and
 * addresses but never a URL's path, query string or credentials, so they may be logged and
 * stored.
 */
export class OutboundError extends Error {
  readonly kind: OutboundErrorKind;

  constructor(kind: OutboundErrorKind, message: string, options: { cause?: unknown } = {}) {
    super(message, options);
    this.name = 'OutboundError';
    this.kind = kind;
  }

  /** Whether trying again later may succeed: timeouts and network failures. */
  get retryable(): boolean {
    return this.kind === 'timeout' || this.kind === 'network';
  }
}
