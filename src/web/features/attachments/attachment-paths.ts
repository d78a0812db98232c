import type { EventAttachment } from '../../../shared/api/feedback';

/** Returns the API path that lists the attachments of a project's event. */
export function eventAttachmentsPath(orgSlug: string, projectSlug: string, eventId: string) {
  const segments = [orgSlug, projectSlug].map(encodeURIComponent).join('/');
  return `/api/0/projects/${segments}/events/${encodeURIComponent(eventId)}/attachments/`;
}

/** Returns the URL that downloads one attachment as a file. */
export function attachmentDownloadPath(
  orgSlug: string,
  projectSlug: string,
  attachment: EventAttachment,
): string {
  const list = eventAttachmentsPath(orgSlug, projectSlug, attachment.event_id);
  return `${list}${encodeURIComponent(attachment.id)}/?download=1`;
}
