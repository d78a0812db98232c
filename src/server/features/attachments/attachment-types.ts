/** Sentry's `attachment_type` values. Any other value is stored as a plain attachment. */
export const ATTACHMENT_TYPES = new Set([
  'event.attachment',
  'event.minidump',
  'event.applecrashreport',
  'event.view_hierarchy',
  'event.payload',
  'event.breadcrumbs',
  'unreal.context',
  'unreal.logs',
  'playstation.prosperodump',
]);

export const DEFAULT_ATTACHMENT_TYPE = 'event.attachment';

/** Relay's limits: 30 attachment items per envelope, 200 MiB each. */
export const MAX_ATTACHMENTS_PER_ENVELOPE = 30;
export const MAX_ATTACHMENT_BYTES = 200 * 1024 * 1024;

const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MAX_NAME_CHARS = 1024;
const MAX_CONTENT_TYPE_CHARS = 255;

/** Returns a known attachment type, or the default type for anything else. */
export function normalizeAttachmentType(value: unknown): string {
  return typeof value === 'string' && ATTACHMENT_TYPES.has(value) ? value : DEFAULT_ATTACHMENT_TYPE;
}

/** Returns the content type as sent, or `application/octet-stream` when it is missing or odd. */
export function normalizeContentType(value: unknown): string {
  if (typeof value !== 'string') {
    return DEFAULT_CONTENT_TYPE;
  }

  const trimmed = value.trim();
  const isPrintable = /^[\x20-\x7e]+$/.test(trimmed);
  return isPrintable && trimmed.length <= MAX_CONTENT_TYPE_CHARS ? trimmed : DEFAULT_CONTENT_TYPE;
}

// PostgreSQL text cannot hold U+0000, so it is replaced.
const NUL = new RegExp(String.fromCharCode(0), 'g');

/**
 * Returns the file name cut to 1,024 characters with U+0000 replaced, or undefined when it is
 * missing or blank.
 */
export function normalizeFileName(value: unknown): string | undefined {
  if (typeof value !== 'string' || value.trim() === '') {
    return undefined;
  }
  return value.slice(0, MAX_NAME_CHARS).replace(NUL, '\uFFFD');
}
