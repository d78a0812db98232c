import type { Event, EventEntry, ExceptionEntry } from '../../../shared/api/events';
import { KeyValueTable } from '../../components/key-value-table';
import { Panel } from '../../components/panel';
import {
  EventReleaseContext,
  UploadTargetContext,
  useEventUploadTarget,
} from '../sourcemaps/upload-target';
import { BreadcrumbsSection } from './breadcrumbs-section';
import { ContextsSection } from './contexts-section';
import { EventTags } from './event-tags';
import { ExceptionSection } from './exception-section';
import { MessageSection } from './message-section';
import { ProcessingErrors } from './processing-errors';
import { RequestSection } from './request-section';
import { isStackTraceOnly } from './synthetic-exception';
import { UserSection } from './user-section';

interface EventDetailsProps {
  event: Event;
}

/**
 * Renders the body of an event in the order of Sentry's issue page: processing problems, tags,
 * the message and exceptions, breadcrumbs, request, user, contexts, extra data and SDK.
 */
export function EventDetails({ event }: EventDetailsProps) {
  const primaryEntries = orderPrimaryEntries(event.entries);
  const messageEntry = event.entries.find((entry) => entry.type === 'message');
  const message = messageEntry?.data.formatted ?? null;
  const breadcrumbs = event.entries.find((entry) => entry.type === 'breadcrumbs');
  const request = event.entries.find((entry) => entry.type === 'request');
  const extra = Object.entries(event.context ?? {});
  const uploadTarget = useEventUploadTarget(event.projectID);

  return (
    <UploadTargetContext value={uploadTarget}>
      <EventReleaseContext value={event.release ?? null}>
        <div className="event-details">
          <ProcessingErrors errors={event.errors} />
          <EventTags tags={event.tags} />
          {primaryEntries.map((entry, index) => (
            <EntryView key={`${entry.type}-${index}`} entry={entry} message={message} />
          ))}
          {breadcrumbs === undefined ? null : <EntryView entry={breadcrumbs} message={message} />}
          {request === undefined ? null : <EntryView entry={request} message={message} />}
          {event.user == null ? null : <UserSection user={event.user} />}
          <ContextsSection contexts={event.contexts ?? {}} />
          {extra.length === 0 ? null : (
            <Panel title="Additional Data">
              <KeyValueTable rows={extra.map(([key, value]) => ({ key, value }))} />
            </Panel>
          )}
          {event.sdk == null ? null : (
            <Panel title="SDK">
              <KeyValueTable
                rows={[
                  { key: 'Name', value: event.sdk.name },
                  { key: 'Version', value: event.sdk.version },
                ]}
              />
            </Panel>
          )}
        </div>
      </EventReleaseContext>
    </UploadTargetContext>
  );
}

/**
 * Returns the message and exception entries in the event's order, except that a message comes
 * before a stack trace that only carries it, because the message is then what happened.
 */
function orderPrimaryEntries(entries: EventEntry[]): EventEntry[] {
  const primary = entries.filter((entry) => entry.type === 'message' || entry.type === 'exception');
  const isMessageStackTrace = primary.some(
    (entry) => entry.type === 'exception' && isStackTraceOnly(entry),
  );

  if (!isMessageStackTrace) {
    return primary;
  }

  return [
    ...primary.filter((entry) => entry.type === 'message'),
    ...primary.filter((entry): entry is ExceptionEntry => entry.type === 'exception'),
  ];
}

interface EntryViewProps {
  entry: EventEntry;
  /** The event's formatted message, or null when it has none. */
  message: string | null;
}

function EntryView({ entry, message }: EntryViewProps) {
  switch (entry.type) {
    case 'exception':
      return <ExceptionSection entry={entry} message={message} />;
    case 'message':
      return <MessageSection entry={entry} />;
    case 'breadcrumbs':
      return <BreadcrumbsSection entry={entry} />;
    case 'request':
      return <RequestSection entry={entry} />;
    default:
      // Entry types this page does not render yet, such as threads or debug images.
      return null;
  }
}
