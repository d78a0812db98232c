import type { EventAttachment } from '../../../shared/api/feedback.js';
import type { AttachmentRecord } from './attachment-repository.js';

/** Builds Sentry's event attachment object. */
export function serializeAttachment(record: AttachmentRecord): EventAttachment {
  return {
    id: String(record.id),
    event_id: record.eventId,
    type: record.attachmentType,
    name: record.name,
    mimetype: record.contentType,
    dateCreated: new Date(Number(record.createdAt)).toISOString(),
    size: Number(record.size),
    headers: { 'Content-Type': record.contentType },
    sha1: record.sha1,
  };
}

// Types a browser shows as data, never runs. SVG is left out because it can carry scripts.
const SAFE_CONTENT_TYPES = new Map([
  ['image/png', 'image/png'],
  ['image/jpeg', 'image/jpeg'],
  ['image/gif', 'image/gif'],
  ['image/webp', 'image/webp'],
  ['text/plain', 'text/plain; charset=utf-8'],
  ['application/json', 'application/json'],
]);

/** Returns the Content-Type for a download: the stored type when it is harmless, else bytes. */
export function downloadContentType(contentType: string): string {
  const mediaType = contentType.split(';', 1)[0]?.trim().toLowerCase() ?? '';
  return SAFE_CONTENT_TYPES.get(mediaType) ?? 'application/octet-stream';
}

/**
 * Builds a `Content-Disposition: attachment` value with an ASCII file name for old clients
 * and the exact name as RFC 5987 `filename*`.
 */
export function contentDisposition(name: string): string {
  const ascii = name.replace(/[^\x20-\x7e]|["\\]/g, '_');
  const encoded = encodeURIComponent(name).replace(
    /['()*]/g,
    (character) => `%${character.charCodeAt(0).toString(16).toUpperCase()}`,
  );
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encoded}`;
}
