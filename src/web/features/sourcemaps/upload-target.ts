import { useQuery } from '@tanstack/react-query';
import { createContext, useMemo } from 'react';
import { useParams } from 'react-router';

import { projectsOptions } from '../../lib/query-options';
import type { UploadTarget } from './upload-commands';

/**
 * The organization and project of the event on screen, which the frame checklists put into
 * their commands and links. It is null while unknown, and the checklists then leave them out.
 */
export const UploadTargetContext = createContext<UploadTarget | null>(null);

/**
 * The release of the event on screen: null when the event has none, and undefined outside an
 * event page, where the checklists cannot tell.
 */
export const EventReleaseContext = createContext<string | null | undefined>(undefined);

/**
 * Finds the organization (from the URL) and the slug of the project with id `projectId` (from
 * the organization's project list, which the header has usually loaded already).
 */
export function useEventUploadTarget(projectId: string): UploadTarget | null {
  const { orgSlug } = useParams();
  const projectsQuery = useQuery({
    ...projectsOptions(orgSlug ?? ''),
    enabled: orgSlug !== undefined,
  });
  const projectSlug = projectsQuery.data?.find((project) => project.id === projectId)?.slug;

  return useMemo(
    () => (orgSlug === undefined || projectSlug === undefined ? null : { orgSlug, projectSlug }),
    [orgSlug, projectSlug],
  );
}
