import { useQuery } from '@tanstack/react-query';
import { NavLink, Outlet, useParams } from 'react-router';

import { projectsOptions } from '../../lib/query-options';
import { SETTINGS_NAV_ITEMS, type SettingsNavItem } from './settings-nav-items';

const SCOPE_TITLES: Record<SettingsNavItem['scope'], string> = {
  account: 'Account',
  organization: 'Organization',
  project: 'Project',
};

/**
 * Layout of settings pages: a side bar with the account's pages, the organization's pages and
 * the pages of the project in the URL (or the organization's first project), then the page.
 */
export function SettingsLayout() {
  const { orgSlug, projectSlug } = useParams();
  const projectsQuery = useQuery({
    ...projectsOptions(orgSlug ?? ''),
    enabled: orgSlug !== undefined,
  });
  const project = projectSlug ?? projectsQuery.data?.[0]?.slug;

  const base = (scope: SettingsNavItem['scope']) => {
    if (scope === 'account') {
      return '/settings/account/';
    }
    if (orgSlug === undefined) {
      return undefined;
    }
    if (scope === 'organization') {
      return `/settings/${orgSlug}/`;
    }
    return project === undefined ? undefined : `/settings/${orgSlug}/projects/${project}/`;
  };

  const sections = (['account', 'organization', 'project'] as const)
    .map((scope) => ({ scope, base: base(scope) }))
    .filter(
      (section): section is { scope: SettingsNavItem['scope']; base: string } =>
        section.base !== undefined,
    );

  return (
    <div className="settings">
      <nav className="settings-nav" aria-label="Settings">
        {sections.map(({ scope, base: prefix }) => {
          const items = SETTINGS_NAV_ITEMS.filter((item) => item.scope === scope);
          if (items.length === 0) {
            return null;
          }
          return (
            <section key={scope}>
              <h2>
                {SCOPE_TITLES[scope]}
                {scope === 'project' && project !== undefined ? `: ${project}` : ''}
              </h2>
              <ul>
                {items.map((item) => (
                  <li key={item.path}>
                    <NavLink to={`${prefix}${item.path}`}>{item.label}</NavLink>
                  </li>
                ))}
              </ul>
            </section>
          );
        })}
      </nav>
      <div className="settings-page">
        <Outlet />
      </div>
    </div>
  );
}
