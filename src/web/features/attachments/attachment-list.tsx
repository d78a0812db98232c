import '../../styles/feedback.css';

import type { EventAttachment } from '../../../shared/api/feedback';
import { EventText } from '../../components/event-text';
import { formatBytes } from '../../lib/format';
import { attachmentDownloadPath } from './attachment-paths';

interface AttachmentListProps {
  orgSlug: string;
  projectSlug: string;
  attachments: EventAttachment[];
}

/** Renders attachments as download links with their type and size. */
export function AttachmentList({ orgSlug, projectSlug, attachments }: AttachmentListProps) {
  return (
    <ul className="attachment-list">
      {attachments.map((attachment) => (
        <li key={attachment.id} className="attachment-item" data-attachment-id={attachment.id}>
          <a
            className="attachment-link"
            href={attachmentDownloadPath(orgSlug, projectSlug, attachment)}
            download={attachment.name}
          >
            <EventText>{attachment.name}</EventText>
          </a>
          <span className="chip">
            <span className="chip-key">type</span>
            <EventText className="chip-value">{attachment.type}</EventText>
          </span>
          <span className="muted" title={attachment.mimetype}>
            <EventText>{attachment.mimetype}</EventText>
          </span>
          <span className="muted" title={`${attachment.size} bytes`}>
            {formatBytes(attachment.size)}
          </span>
        </li>
      ))}
    </ul>
  );
}
