import { useQuery } from '@tanstack/react-query';
import { Link, NavLink } from 'react-router';

import { useLogOut } from '../features/auth/use-log-out';
import { BacklogBanner } from '../features/operations/backlog-banner';
import { ProjectKeysLink } from '../features/projects/project-keys-link';
import { ProjectSelector } from '../features/projects/project-selector';
import { currentUserOptions, organizationsOptions } from '../lib/query-options';

interface AppHeaderProps {
  /** The organization in the URL, or undefined on pages outside an organization. */
  orgSlug?: string;
}

/** Renders the top bar with the organization, project selector, navigation and logout. */
export function AppHeader({ orgSlug }: AppHeaderProps) {
  const userQuery = useQuery(currentUserOptions());
  const organizationsQuery = useQuery(organizationsOptions());
  const logOutMutation = useLogOut();

  const organizations = organizationsQuery.data ?? [];
  const organization = organizations.find((candidate) => candidate.slug === orgSlug);
  const user = userQuery.data;

  return (
    <header className="app-header">
      <Link to="/" className="brand" aria-label="Picket home">
        <span className="brand-mark" aria-hidden="true" />
        Picket
      </Link>

      {orgSlug === undefined ? null : (
        <>
          <span className="header-separator" aria-hidden="true">
            /
          </span>
          {organizations.length > 1 ? (
            <Link to="/" className="header-org" title="Switch organization">
              {organization?.name ?? orgSlug}
            </Link>
          ) : (
            <span className="header-org">{organization?.name ?? orgSlug}</span>
          )}
          <span className="header-separator" aria-hidden="true">
            /
          </span>
          <ProjectSelector orgSlug={orgSlug} />
          <nav className="header-nav" aria-label="Main">
            <NavLink to={`/organizations/${orgSlug}/issues/`}>Issues</NavLink>
            <NavLink to={`/organizations/${orgSlug}/performance/`}>Performance</NavLink>
            <NavLink to={`/organizations/${orgSlug}/releases/`}>Releases</NavLink>
            <NavLink to={`/organizations/${orgSlug}/alerts/`}>Alerts</NavLink>
            <NavLink to={`/organizations/${orgSlug}/crons/`}>Crons</NavLink>
            <NavLink to={`/organizations/${orgSlug}/feedback/`}>Feedback</NavLink>
            <NavLink to={`/organizations/${orgSlug}/logs/`}>Logs</NavLink>
            <NavLink to={`/organizations/${orgSlug}/stats/`}>Stats</NavLink>
            <ProjectKeysLink orgSlug={orgSlug} />
            <NavLink to={`/organizations/${orgSlug}/projects/new/`}>New project</NavLink>
            <NavLink to={`/settings/${orgSlug}/members/`}>Settings</NavLink>
          </nav>
        </>
      )}

      <div className="header-user">
        {user === undefined || user === null ? null : (
          <Link to="/settings/account/security/" className="header-user-email" title={user.name}>
            {user.email}
          </Link>
        )}
        <button
          type="button"
          className="button button-small button-header"
          disabled={logOutMutation.isPending}
          onClick={() => {
            logOutMutation.mutate();
          }}
        >
          Log out
        </button>
      </div>
      <BacklogBanner />
    </header>
  );
}
