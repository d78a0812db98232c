import type { IssueMetadata } from '../../shared/api/issues';
import { customIssueTitle } from '../lib/issue-title';
import { EventText } from './event-text';

interface IssueTitleProps {
  title: string;
  metadata: IssueMetadata;
}

/**
 * Renders an issue's title as Sentry does: for errors the exception type in bold followed by
 * its value, and otherwise the plain title. A custom title (set by a fingerprint rule) replaces
 * the type and value.
 */
export function IssueTitle({ title, metadata }: IssueTitleProps) {
  const type = metadata.type ?? '';
  const custom = customIssueTitle(title, metadata);
  if (type === '' || custom !== null) {
    return (
      <span className="issue-title">
        <EventText>{custom ?? title}</EventText>
      </span>
    );
  }

  const value = metadata.value ?? '';

  return (
    <span className="issue-title">
      <strong className="issue-title-type">
        <EventText>{type}</EventText>
      </strong>
      {value === '' ? null : <EventText className="issue-title-value">{value}</EventText>}
    </span>
  );
}
