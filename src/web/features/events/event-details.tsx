import type { Event, EventEntry } from '../../../shared/api/events';
import { KeyValueTable } from '../../components/key-value-table';
import { Panel } from '../../components/panel';
import { BreadcrumbsSection } from './breadcrumbs-section';
import { ContextsSection } from './contexts-section';
import { EventTags } from './event-tags';
import { ExceptionSection } from './exception-section';
import { MessageSection } from './message-section';
import { RequestSection } from './request-section';
import { UserSection } from './user-section';

interface EventDetailsProps {
  event: Event;
}

/**
 * Renders the body of an event in the order of Sentry's issue page: processing problems, tags,
 * the message and exceptions, breadcrumbs, request, user, contexts, extra data and SDK.
 */
export function EventDetails({ event }: EventDetailsProps) {
  const primaryEntries = event.entries.filter((entry) => PRIMARY_ENTRY_TYPES.has(entry.type));
  const breadcrumbs = event.entries.find((entry) => entry.type === 'breadcrumbs');
  const request = event.entries.find((entry) => entry.type === 'request');
  const extra = Object.entries(event.context ?? {});

  return (
    <div className="event-details">
      <ProcessingErrors errors={event.errors} />
      <EventTags tags={event.tags} />
      {primaryEntries.map((entry, index) => (
        <EntryView key={`${entry.type}-${index}`} entry={entry} />
      ))}
      {breadcrumbs === undefined ? null : <EntryView entry={breadcrumbs} />}
      {request === undefined ? null : <EntryView entry={request} />}
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
  );
}

const PRIMARY_ENTRY_TYPES = new Set(['message', 'exception']);

function EntryView({ entry }: { entry: EventEntry }) {
  switch (entry.type) {
    case 'exception':
      return <ExceptionSection entry={entry} />;
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

function ProcessingErrors({ errors }: { errors: Event['errors'] }) {
  if (errors == null || errors.length === 0) {
    return null;
  }

  return (
    <div className="alert alert-warning" role="note">
      <strong>
        There {errors.length === 1 ? 'was 1 problem' : `were ${errors.length} problems`} processing
        this event.
      </strong>
      <ul className="processing-errors">
        {errors.map((error, index) => (
          <li key={index}>
            {error.message ?? error.type}
            {error.name === undefined ? '' : ` (${error.name})`}
          </li>
        ))}
      </ul>
    </div>
  );
}
