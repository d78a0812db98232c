import { useQuery } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';

import type { Event } from '../../../shared/api/events';
import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Panel } from '../../components/panel';
import { isRequestError } from '../../lib/api-client';
import { IssueAlertsPanel } from '../alerts/issue-alerts-panel';
import {
  eventJsonPath,
  issueEventOptions,
  issueOptions,
  issueTagsOptions,
} from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { EventAttachments } from '../attachments/event-attachments';
import { EventDetails } from '../events/event-details';
import { IssueFeedback } from '../feedback/issue-feedback';
import { GroupingPanel } from '../grouping/grouping-panel';
import { EventNavigation } from './event-navigation';
import { IssueActivityPanel } from './issue-activity-panel';
import { IssueEventCharts } from './issue-event-charts';
import { IssueHeader } from './issue-header';
import { IssueDeleteActions } from './issue-user-actions';
import { useIssueUpdate } from './issue-workflow-api';
import { MergedHashesPanel } from './merged-hashes-panel';
import { TagDistribution } from './tag-distribution';
import './issue-workflow.css';

/** Renders an issue, one of its events (the latest unless `?event=` names another) and its tags. */
export function IssueDetailsPage() {
  const { orgSlug = '', issueId = '' } = useParams();
  const [searchParams] = useSearchParams();
  const eventId = searchParams.get('event') ?? 'latest';
  const issueQuery = useQuery(issueOptions(orgSlug, issueId));
  const eventQuery = useQuery(issueEventOptions(orgSlug, issueId, eventId));
  const tagsQuery = useQuery(issueTagsOptions(orgSlug, issueId));
  const issueListPath = `/organizations/${orgSlug}/issues/`;
  useDocumentTitle([issueQuery.data?.title, 'Issues', orgSlug]);
  useMarkSeen(orgSlug, issueId, issueQuery.data?.hasSeen);

  if (issueQuery.isPending) {
    return <LoadingIndicator label="Loading issue…" />;
  }

  if (issueQuery.isError) {
    return (
      <main className="page">
        {isRequestError(issueQuery.error, 404) ? (
          <EmptyState title="Issue not found">
            <p>It may have been deleted, or it belongs to another organization.</p>
            <Link to={issueListPath} className="button">
              Back to issues
            </Link>
          </EmptyState>
        ) : (
          <LoadError
            message="Unable to load the issue."
            onRetry={() => void issueQuery.refetch()}
          />
        )}
      </main>
    );
  }

  const issue = issueQuery.data;

  return (
    <main className="page page-wide issue-details">
      <nav className="breadcrumb-nav" aria-label="Breadcrumb">
        <Link to={issueListPath}>Issues</Link>
        <span aria-hidden="true"> › </span>
        <span>{issue.shortId}</span>
      </nav>
      <IssueHeader issue={issue} orgSlug={orgSlug} />
      <div className="issue-layout">
        <div className="issue-main">
          <IssueEventCharts stats={issue.stats} />
          <IssueFeedback orgSlug={orgSlug} issueId={issue.id} projectSlug={issue.project.slug} />
          {eventQuery.isPending ? <LoadingIndicator label="Loading event…" /> : null}
          {eventQuery.isError ? (
            <LoadError
              message={
                isRequestError(eventQuery.error, 404)
                  ? 'This event was not found. It may have been deleted by retention.'
                  : 'Unable to load the event.'
              }
              onRetry={() => void eventQuery.refetch()}
            />
          ) : null}
          {eventQuery.isSuccess ? (
            <>
              <EventNavigation
                event={eventQuery.data}
                issuePath={`${issueListPath}${issue.id}/`}
                jsonPath={eventJsonPath(orgSlug, issue.project.slug, eventQuery.data.eventID)}
                tracePath={tracePathOf(orgSlug, eventQuery.data)}
                isLoading={eventQuery.isPlaceholderData}
              />
              <EventDetails key={eventQuery.data.eventID} event={eventQuery.data} />
              <EventAttachments
                orgSlug={orgSlug}
                projectSlug={issue.project.slug}
                eventId={eventQuery.data.eventID}
              />
              <GroupingPanel
                orgSlug={orgSlug}
                projectSlug={issue.project.slug}
                eventId={eventQuery.data.eventID}
              />
            </>
          ) : null}
          <IssueActivityPanel
            orgSlug={orgSlug}
            issueId={issue.id}
            activity={issue.activity ?? []}
          />
        </div>
        <aside className="issue-sidebar">
          <Panel title="Tags">
            {tagsQuery.isPending ? <LoadingIndicator /> : null}
            {tagsQuery.isError ? (
              <LoadError message="Unable to load tags." onRetry={() => void tagsQuery.refetch()} />
            ) : null}
            {tagsQuery.isSuccess ? <TagDistribution tags={tagsQuery.data} /> : null}
          </Panel>
          <IssueAlertsPanel orgSlug={orgSlug} issueId={issue.id} projectSlug={issue.project.slug} />
          <MergedHashesPanel orgSlug={orgSlug} issueId={issue.id} />
          <Panel title="Danger zone">
            <IssueDeleteActions issue={issue} orgSlug={orgSlug} />
          </Panel>
        </aside>
      </div>
    </main>
  );
}

/** Records once per opened issue that the signed-in user has seen it (`hasSeen: true`). */
function useMarkSeen(orgSlug: string, issueId: string, hasSeen: boolean | undefined) {
  const { mutate } = useIssueUpdate(orgSlug, issueId);
  const isLoaded = hasSeen !== undefined;
  useEffect(() => {
    if (isLoaded) {
      mutate({ hasSeen: true });
    }
  }, [orgSlug, issueId, isLoaded, mutate]);
}

/** Returns the trace page of the event's `contexts.trace.trace_id`, or null without one. */
function tracePathOf(orgSlug: string, event: Event): string | null {
  const traceId = event.contexts?.trace?.trace_id;
  if (typeof traceId !== 'string' || !/^[0-9a-f]{32}$/.test(traceId)) {
    return null;
  }
  return `/organizations/${encodeURIComponent(orgSlug)}/traces/${traceId}/`;
}
