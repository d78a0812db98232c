import { useQuery } from '@tanstack/react-query';
import { NavLink, useParams, useSearchParams } from 'react-router';

import { projectsOptions } from '../../lib/query-options';

interface ProjectKeysLinkProps {
  orgSlug: string;
}

/**
 * Renders the header link to a project's client keys and setup page. The link goes to the
 * project whose keys are open, else the project chosen in the selector, else the first one.
 */
export function ProjectKeysLink({ orgSlug }: ProjectKeysLinkProps) {
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const { projectSlug } = useParams();
  const [searchParams] = useSearchParams();
  const projects = projectsQuery.data ?? [];
  const selectedProjectId = searchParams.get('project');

  const project =
    projects.find((candidate) => candidate.slug === projectSlug) ??
    projects.find((candidate) => candidate.id === selectedProjectId) ??
    projects[0];

  if (project === undefined) {
    return null;
  }

  return <NavLink to={`/settings/${orgSlug}/projects/${project.slug}/keys/`}>Client keys</NavLink>;
}
