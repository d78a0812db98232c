import type { IssueMetadata } from '../../shared/api/issues';

interface IssueTitleProps {
  title: string;
  metadata: IssueMetadata;
}

/**
 * Renders an issue's title as Sentry does: for errors the exception type in bold followed by
 * its value, and otherwise the plain title.
 */
export function IssueTitle({ title, metadata }: IssueTitleProps) {
  const type = metadata.type ?? '';
  if (type === '') {
    return <span className="issue-title">{title}</span>;
  }

  const value = metadata.value ?? '';

  return (
    <span className="issue-title">
      <strong className="issue-title-type">{type}</strong>
      {value === '' ? null : <span className="issue-title-value">{value}</span>}
    </span>
  );
}
