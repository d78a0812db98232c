export {
  checkAttachmentItem,
  createAttachmentRecord,
  deleteUnqueuedBlobs,
  storeAttachmentBytes,
  type AttachmentUpload,
  type StoredAttachment,
} from './attachment-ingest.js';
export { processAttachmentRecords } from './attachment-processor.js';
export { AttachmentRepository, type AttachmentRecord } from './attachment-repository.js';
export { registerAttachmentRoutes } from './attachment-routes.js';
export { serializeAttachment } from './attachment-serializer.js';
export {
  DEFAULT_ATTACHMENT_TYPE,
  MAX_ATTACHMENT_BYTES,
  MAX_ATTACHMENTS_PER_ENVELOPE,
  normalizeContentType,
  normalizeFileName,
} from './attachment-types.js';
export { registerAttachmentUploadRoute } from './attachment-upload-route.js';
export { parseMultipart, type MultipartFile } from './multipart.js';
export { openRequestStream } from './request-stream.js';
