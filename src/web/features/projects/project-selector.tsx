import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate, useSearchParams } from 'react-router';

import { projectsOptions } from '../../lib/query-options';

interface ProjectSelectorProps {
  orgSlug: string;
}

/**
 * Renders the header's project selector. It filters the issue list through the `project`
 * search parameter, so choosing a project on any page opens that project's issues.
 */
export function ProjectSelector({ orgSlug }: ProjectSelectorProps) {
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();

  const issueListPath = `/organizations/${orgSlug}/issues/`;
  const isOnIssueList = location.pathname === issueListPath;
  const selectedProjectId = isOnIssueList ? (searchParams.get('project') ?? '') : '';
  const projects = projectsQuery.data ?? [];

  function handleChange(projectId: string) {
    const params = new URLSearchParams(isOnIssueList ? searchParams : undefined);
    params.delete('cursor');
    if (projectId === '') {
      params.delete('project');
    } else {
      params.set('project', projectId);
    }

    const search = params.toString();
    void navigate(search === '' ? issueListPath : `${issueListPath}?${search}`);
  }

  return (
    <select
      className="project-selector"
      aria-label="Project"
      value={selectedProjectId}
      disabled={projectsQuery.isPending}
      onChange={(event) => {
        handleChange(event.target.value);
      }}
    >
      <option value="">All projects</option>
      {projects.map((project) => (
        <option key={project.id} value={project.id}>
          {project.slug}
        </option>
      ))}
    </select>
  );
}
