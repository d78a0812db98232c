export { deleteAttachmentRows, deleteBlobs } from './attachment-cleanup.js';
export { registerDataDeletionRoutes } from './data-deletion-routes.js';
