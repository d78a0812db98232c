import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import type { AlertRulePreviewInput } from '../../../shared/api/alerts';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { RelativeTime } from '../../components/relative-time';
import { formatCount } from '../../lib/format';
import { describeFailure } from '../../lib/user-message';
import { rulePreviewOptions, type PreviewResult } from './alerts-api';
import { readFieldErrors } from './rule-errors';
import { useDebouncedValue } from './use-debounced-value';

const PREVIEW_DELAY_MS = 600;

interface RulePreviewProps {
  orgSlug: string;
  projectSlug: string;
  input: AlertRulePreviewInput;
}

/**
 * Lists the project's issues that the draft rule would have fired for in the last 14 days. The
 * preview is requested again once the draft has stopped changing for a moment, or on Refresh.
 */
export function RulePreview({ orgSlug, projectSlug, input }: RulePreviewProps) {
  const body = useDebouncedValue(JSON.stringify(input), PREVIEW_DELAY_MS);
  const hasConditions = input.conditions.length > 0;
  // The request sends the debounced draft, so it must be the one that has conditions.
  const isRequestable = (JSON.parse(body) as AlertRulePreviewInput).conditions.length > 0;
  const previewQuery = useQuery({
    ...rulePreviewOptions(orgSlug, projectSlug, body),
    enabled: hasConditions && isRequestable && projectSlug !== '',
  });

  return (
    <Panel
      title="Preview"
      className="rule-preview"
      actions={
        <button
          type="button"
          className="button button-small"
          disabled={!hasConditions || previewQuery.isFetching}
          onClick={() => void previewQuery.refetch()}
        >
          Refresh preview
        </button>
      }
    >
      <div aria-busy={previewQuery.isFetching} data-testid="rule-preview">
        {!hasConditions ? (
          <p className="muted">Add a condition to see the issues this rule would have fired for.</p>
        ) : previewQuery.isPending ? (
          <LoadingIndicator label="Loading preview…" />
        ) : previewQuery.isError ? (
          <LoadError message={describePreviewFailure(previewQuery.error)} />
        ) : (
          <PreviewIssues orgSlug={orgSlug} result={previewQuery.data} />
        )}
      </div>
    </Panel>
  );
}

function describePreviewFailure(error: unknown): string {
  const fieldErrors = readFieldErrors(error);
  if (fieldErrors === null) {
    return describeFailure('load the preview', error);
  }
  const messages = Object.entries(fieldErrors).map(
    ([field, list]) => `${field}: ${list.join(' ')}`,
  );
  return `Unable to load the preview: ${messages.join('; ')}`;
}

function PreviewIssues({ orgSlug, result }: { orgSlug: string; result: PreviewResult }) {
  return (
    <>
      <p className="preview-count" role="status">
        {result.hits === 1
          ? '1 issue would have fired this rule in the last 14 days.'
          : `${formatCount(result.hits)} issues would have fired this rule in the last 14 days.`}
      </p>
      {result.issues.length === 0 ? null : (
        <table className="data-table preview-table">
          <thead>
            <tr>
              <th scope="col">Issue</th>
              <th scope="col">Events</th>
              <th scope="col">Last seen</th>
            </tr>
          </thead>
          <tbody>
            {result.issues.map((issue) => (
              <tr key={issue.id}>
                <td>
                  <Link to={`/organizations/${encodeURIComponent(orgSlug)}/issues/${issue.id}/`}>
                    {issue.title}
                  </Link>
                  <div className="muted">{issue.shortId}</div>
                </td>
                <td>{formatCount(issue.count)}</td>
                <td>
                  <RelativeTime date={issue.lastSeen} />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
