import { useQuery } from '@tanstack/react-query';

import { LoadError } from '../../components/load-error';
import { Panel } from '../../components/panel';
import { FeedbackItem } from './feedback-item';
import { issueFeedbackOptions } from './feedback-query-options';

interface IssueFeedbackProps {
  orgSlug: string;
  issueId: string;
  projectSlug: string;
}

/** Renders the user feedback of an issue, and nothing while it has none. */
export function IssueFeedback({ orgSlug, issueId, projectSlug }: IssueFeedbackProps) {
  const query = useQuery(issueFeedbackOptions(orgSlug, issueId));

  if (query.isError) {
    return (
      <Panel title="User Feedback">
        <LoadError message="Unable to load user feedback." onRetry={() => void query.refetch()} />
      </Panel>
    );
  }
  if (!query.isSuccess || query.data.length === 0) {
    return null;
  }

  return (
    <Panel
      title="User Feedback"
      className="issue-feedback"
      actions={<span className="panel-count">{query.data.length}</span>}
    >
      {query.data.map((feedback) => (
        <FeedbackItem
          key={feedback.id}
          feedback={feedback}
          orgSlug={orgSlug}
          projectSlug={projectSlug}
          showIssue={false}
        />
      ))}
    </Panel>
  );
}
