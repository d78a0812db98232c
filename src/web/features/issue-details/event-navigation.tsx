import { Link } from 'react-router';

import type { Event } from '../../../shared/api/events';
import { EventText } from '../../components/event-text';
import { RelativeTime } from '../../components/relative-time';
import { formatDateTime, parseTimestamp } from '../../lib/format';

interface EventNavigationProps {
  event: Event;
  /** Path of the issue page, to which `?event=` is appended. */
  issuePath: string;
  /** API path of the event as JSON, which the "JSON" link opens. */
  jsonPath: string;
  /** Path of the trace page of the event's trace, or null when the event has no trace id. */
  tracePath: string | null;
  isLoading: boolean;
}

/**
 * Renders the event's id and time, links to its JSON and its trace, and links to the oldest,
 * older, newer and newest events.
 */
export function EventNavigation({
  event,
  issuePath,
  jsonPath,
  tracePath,
  isLoading,
}: EventNavigationProps) {
  const received = parseTimestamp(event.dateCreated);

  return (
    <div className="event-navigation">
      <div className="event-identity">
        <h2 className="event-id">
          Event <span className="mono">{event.eventID.slice(0, 8)}</span>
        </h2>
        <span className="muted" title={event.eventID}>
          {received === null ? null : formatDateTime(received)} (
          <RelativeTime date={event.dateCreated} />)
        </span>
        {event.release == null ? null : (
          <span className="chip">
            <span className="chip-key">release</span>
            <EventText className="chip-value">{event.release}</EventText>
          </span>
        )}
        {event.environment == null ? null : (
          <span className="chip">
            <span className="chip-key">environment</span>
            <EventText className="chip-value">{event.environment}</EventText>
          </span>
        )}
        <a
          className="button button-small"
          href={jsonPath}
          target="_blank"
          rel="noopener noreferrer"
          title="Open the event as JSON in a new tab"
        >
          JSON
        </a>
        {tracePath === null ? null : (
          <Link className="button button-small" to={tracePath}>
            View trace
          </Link>
        )}
        {isLoading ? <span className="spinner" role="status" aria-label="Loading event" /> : null}
      </div>
      <nav className="button-group" aria-label="Events">
        <EventLink to={`${issuePath}?event=oldest`} isEnabled={event.previousEventID != null}>
          Oldest
        </EventLink>
        <EventLink
          to={`${issuePath}?event=${encodeURIComponent(event.previousEventID ?? '')}`}
          isEnabled={event.previousEventID != null}
        >
          ‹ Older
        </EventLink>
        <EventLink
          to={`${issuePath}?event=${encodeURIComponent(event.nextEventID ?? '')}`}
          isEnabled={event.nextEventID != null}
        >
          Newer ›
        </EventLink>
        <EventLink to={issuePath} isEnabled={event.nextEventID != null}>
          Newest
        </EventLink>
      </nav>
    </div>
  );
}

interface EventLinkProps {
  to: string;
  isEnabled: boolean;
  children: string;
}

function EventLink({ to, isEnabled, children }: EventLinkProps) {
  if (!isEnabled) {
    return (
      <span className="button button-small" aria-disabled="true">
        {children}
      </span>
    );
  }

  return (
    <Link to={to} className="button button-small">
      {children}
    </Link>
  );
}
