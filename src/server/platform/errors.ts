/**
 * Stable error codes. Clients may branch on them, so a code is never renamed once released.
 */
export type ErrorCode =
  | 'bad_request'
  | 'invalid_envelope'
  | 'invalid_event'
  | 'invalid_json'
  | 'unauthorized'
  | 'forbidden'
  | 'not_found'
  | 'conflict'
  | 'payload_too_large'
  | 'unsupported_media_type'
  | 'rate_limited'
  | 'unavailable'
  | 'request_timeout'
  | 'internal'
  /** A member of an organization that requires two-factor authentication has no second factor. */
  | '2fa-required'
  /** The action needs the password or a second factor entered within the last 15 minutes. */
  | 'sudo-required';

export interface AppErrorOptions {
  cause?: unknown;
  headers?: Record<string, string>;
}

/**
 * The one error family of the server. `detail` is safe to send to clients; the cause and stack
 * are only logged.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly status: number;
  readonly detail: string;
  readonly headers: Record<string, string>;

  constructor(status: number, code: ErrorCode, detail: string, options: AppErrorOptions = {}) {
    super(detail, { cause: options.cause });
    this.name = 'AppError';
    this.status = status;
    this.code = code;
    this.detail = detail;
    this.headers = options.headers ?? {};
  }
}

export class ValidationError extends AppError {
  readonly fields: Record<string, string[]>;

  constructor(detail: string, fields: Record<string, string[]> = {}) {
    super(400, 'bad_request', detail);
    this.name = 'ValidationError';
    this.fields = fields;
  }
}

export class NotFoundError extends AppError {
  constructor(detail = 'The requested resource does not exist') {
    super(404, 'not_found', detail);
    this.name = 'NotFoundError';
  }
}

export class AuthError extends AppError {
  constructor(status: 401 | 403, detail: string) {
    super(status, status === 401 ? 'unauthorized' : 'forbidden', detail);
    this.name = 'AuthError';
  }
}

export class PayloadTooLargeError extends AppError {
  constructor(detail: string) {
    super(413, 'payload_too_large', detail);
    this.name = 'PayloadTooLargeError';
  }
}

export function isAppError(error: unknown): error is AppError {
  return error instanceof AppError;
}
