import { useQuery } from '@tanstack/react-query';
import { Link } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { projectsOptions } from '../../lib/query-options';
import type { StatusFilter } from './issue-list-params';

interface IssueListEmptyProps {
  orgSlug: string;
  status: StatusFilter;
  hasSearchText: boolean;
  projectId: string | null;
}

/**
 * Renders the issue list's empty state. When the selected projects have never received an
 * event, it links to the setup page instead of only saying that nothing matched.
 */
export function IssueListEmpty({ orgSlug, status, hasSearchText, projectId }: IssueListEmptyProps) {
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const projects = (projectsQuery.data ?? []).filter(
    (project) => projectId === null || project.id === projectId,
  );

  if (projectsQuery.isSuccess && projects.length === 0) {
    return (
      <EmptyState title="No projects yet">
        <p>Create a project to get a DSN and start sending errors.</p>
        <Link to={`/organizations/${orgSlug}/projects/new/`} className="button button-primary">
          Create project
        </Link>
      </EmptyState>
    );
  }

  const projectWithoutEvents = projects.find((project) => project.firstEvent === null);
  if (
    projectWithoutEvents !== undefined &&
    projects.every((project) => project.firstEvent === null)
  ) {
    return (
      <EmptyState title="Waiting for events">
        <p>
          No events have arrived yet. Configure an SDK with your project&apos;s DSN and send an
          error.
        </p>
        <Link
          to={`/settings/${orgSlug}/projects/${projectWithoutEvents.slug}/keys/`}
          className="button button-primary"
        >
          Set up {projectWithoutEvents.slug}
        </Link>
      </EmptyState>
    );
  }

  if (hasSearchText) {
    return (
      <EmptyState title="No issues match your search">
        <p>Try other words, or another tab.</p>
      </EmptyState>
    );
  }

  return (
    <EmptyState title={EMPTY_TITLES[status]}>
      {status === 'unresolved' && projects[0] !== undefined ? (
        <p>
          Need to send more errors?{' '}
          <Link to={`/settings/${orgSlug}/projects/${projects[0].slug}/keys/`}>
            See the setup instructions
          </Link>
          .
        </p>
      ) : null}
    </EmptyState>
  );
}

const EMPTY_TITLES: Record<StatusFilter, string> = {
  unresolved: 'No unresolved issues. Nice work!',
  for_review: 'No issues to review',
  regressed: 'No regressed issues',
  archived: 'No archived issues',
  resolved: 'No resolved issues',
  bookmarked: 'No bookmarked issues',
  assigned: 'No issues assigned to you',
  all: 'No issues',
};
