import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { Pagination } from '../../components/pagination';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { FeedbackItem } from './feedback-item';
import { projectFeedbackOptions } from './feedback-query-options';

/**
 * Renders a project's user feedback, newest first. The project comes from the `project`
 * search parameter (an id, as the issue list uses), else the organization's first project.
 */
export function FeedbackPage() {
  const { orgSlug = '' } = useParams();
  const [searchParams, setSearchParams] = useSearchParams();
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const projects = projectsQuery.data ?? [];
  const project =
    projects.find((candidate) => candidate.id === searchParams.get('project')) ?? projects[0];
  const cursor = searchParams.get('cursor');
  const feedbackQuery = useQuery({
    ...projectFeedbackOptions(orgSlug, project?.slug ?? '', cursor),
    enabled: project !== undefined,
  });
  useDocumentTitle(['Feedback', project?.slug, orgSlug]);

  function selectProject(projectId: string) {
    setSearchParams(new URLSearchParams({ project: projectId }));
  }

  function goToCursor(next: string | undefined) {
    const params = new URLSearchParams(searchParams);
    if (next === undefined) {
      params.delete('cursor');
    } else {
      params.set('cursor', next);
    }
    setSearchParams(params);
  }

  if (projectsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (projectsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the organization's projects."
          onRetry={() => void projectsQuery.refetch()}
        />
      </main>
    );
  }
  if (project === undefined) {
    return (
      <main className="page">
        <EmptyState title="No projects yet">
          <Link to={`/organizations/${orgSlug}/projects/new/`} className="button">
            Create a project
          </Link>
        </EmptyState>
      </main>
    );
  }

  const pageLinks = feedbackQuery.data?.pageLinks;

  return (
    <main className="page feedback-page">
      <div className="page-heading">
        <h1>User Feedback</h1>
        <label className="feedback-project">
          <span className="muted">Project</span>
          <select
            value={project.id}
            onChange={(event) => {
              selectProject(event.target.value);
            }}
          >
            {projects.map((candidate) => (
              <option key={candidate.id} value={candidate.id}>
                {candidate.slug}
              </option>
            ))}
          </select>
        </label>
      </div>
      {feedbackQuery.isPending ? <LoadingIndicator label="Loading feedback…" /> : null}
      {feedbackQuery.isError ? (
        <LoadError
          message="Unable to load feedback."
          onRetry={() => void feedbackQuery.refetch()}
        />
      ) : null}
      {feedbackQuery.isSuccess && feedbackQuery.data.feedback.length === 0 ? (
        <EmptyState title="No feedback yet">
          <p>
            Feedback sent with an SDK&apos;s feedback widget, <code>captureFeedback</code> or a user
            report appears here.
          </p>
        </EmptyState>
      ) : null}
      {feedbackQuery.isSuccess ? (
        <div className="feedback-list panel">
          {feedbackQuery.data.feedback.map((feedback) => (
            <FeedbackItem
              key={feedback.id}
              feedback={feedback}
              orgSlug={orgSlug}
              projectSlug={project.slug}
              showIssue={true}
            />
          ))}
        </div>
      ) : null}
      {pageLinks === undefined ? null : (
        <Pagination
          hasPrevious={pageLinks.previous?.hasResults === true}
          hasNext={pageLinks.next?.hasResults === true}
          onPrevious={() => {
            goToCursor(pageLinks.previous?.cursor);
          }}
          onNext={() => {
            goToCursor(pageLinks.next?.cursor);
          }}
        />
      )}
    </main>
  );
}
