import { queryOptions, useQuery } from '@tanstack/react-query';

import type { EventAttachment } from '../../../shared/api/feedback';
import { LoadError } from '../../components/load-error';
import { Panel } from '../../components/panel';
import { fetchApi } from '../../lib/api-client';
import { AttachmentList } from './attachment-list';
import { eventAttachmentsPath } from './attachment-paths';

interface EventAttachmentsProps {
  orgSlug: string;
  projectSlug: string;
  eventId: string;
}

export function eventAttachmentsOptions(orgSlug: string, projectSlug: string, eventId: string) {
  return queryOptions({
    queryKey: ['attachments', orgSlug, projectSlug, eventId] as const,
    queryFn: ({ signal }) =>
      fetchApi<EventAttachment[]>(eventAttachmentsPath(orgSlug, projectSlug, eventId), { signal }),
  });
}

/** Renders the files sent with an event, and nothing while it has none. */
export function EventAttachments({ orgSlug, projectSlug, eventId }: EventAttachmentsProps) {
  const query = useQuery(eventAttachmentsOptions(orgSlug, projectSlug, eventId));

  if (query.isError) {
    return (
      <Panel title="Attachments">
        <LoadError message="Unable to load attachments." onRetry={() => void query.refetch()} />
      </Panel>
    );
  }
  if (!query.isSuccess || query.data.length === 0) {
    return null;
  }

  return (
    <Panel
      title="Attachments"
      className="event-attachments"
      actions={<span className="panel-count">{query.data.length}</span>}
    >
      <AttachmentList orgSlug={orgSlug} projectSlug={projectSlug} attachments={query.data} />
    </Panel>
  );
}
