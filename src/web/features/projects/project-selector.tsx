import { useQuery } from '@tanstack/react-query';
import { useLocation, useNavigate, useParams, useSearchParams } from 'react-router';

import { projectsOptions } from '../../lib/query-options';

interface ProjectSelectorProps {
  orgSlug: string;
}

/**
 * Renders the header's project selector. On a project's own page, such as its client keys, it
 * shows that project, and choosing another opens the same page for the other project. Elsewhere
 * it filters the issue list through the `project` search parameter, so choosing a project opens
 * that project's issues.
 */
export function ProjectSelector({ orgSlug }: ProjectSelectorProps) {
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const { projectSlug } = useParams();
  const [searchParams] = useSearchParams();
  const location = useLocation();
  const navigate = useNavigate();

  const issueListPath = `/organizations/${orgSlug}/issues/`;
  const isOnIssueList = location.pathname === issueListPath;
  const projects = projectsQuery.data ?? [];
  const pageProject = projects.find((project) => project.slug === projectSlug);
  const selectedProjectId =
    pageProject?.id ?? (isOnIssueList ? (searchParams.get('project') ?? '') : '');

  function handleChange(projectId: string) {
    const project = projects.find((candidate) => candidate.id === projectId);

    if (pageProject !== undefined && project !== undefined) {
      const pagePath = `/projects/${encodeURIComponent(pageProject.slug)}/`;
      const nextPath = `/projects/${encodeURIComponent(project.slug)}/`;
      void navigate(location.pathname.replace(pagePath, nextPath));
      return;
    }

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
