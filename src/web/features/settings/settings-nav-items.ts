/**
 * Links of the settings side bar. `scope` is `account` (under `/settings/account/`),
 * `organization` (under `/settings/{org}/`) or `project` (under
 * `/settings/{org}/projects/{project}/`). Each feature adds its own lines.
 */
export interface SettingsNavItem {
  scope: 'account' | 'organization' | 'project';
  /** Path below the scope's base, ending with `/`. */
  path: string;
  label: string;
}

export const SETTINGS_NAV_ITEMS: readonly SettingsNavItem[] = [
  { scope: 'account', path: 'security/', label: 'Security' },
  { scope: 'account', path: 'api/auth-tokens/', label: 'Personal tokens' },
  { scope: 'account', path: 'notifications/', label: 'Notifications' },
  { scope: 'organization', path: 'general/', label: 'General settings' },
  { scope: 'organization', path: 'members/', label: 'Members' },
  { scope: 'organization', path: 'teams/', label: 'Teams' },
  { scope: 'organization', path: 'auth-tokens/', label: 'Organization tokens' },
  { scope: 'organization', path: 'audit-log/', label: 'Audit log' },
  { scope: 'organization', path: 'user-data/', label: "Delete a user's data" },
  { scope: 'project', path: 'general/', label: 'Project details' },
  { scope: 'project', path: 'keys/', label: 'Client keys' },
  { scope: 'project', path: 'filters/', label: 'Inbound filters' },
  { scope: 'project', path: 'grouping/', label: 'Grouping' },
  { scope: 'project', path: 'source-maps/', label: 'Source maps' },
  { scope: 'organization', path: 'security-and-privacy/', label: 'Security & Privacy' },
  { scope: 'project', path: 'security-and-privacy/', label: 'Security & Privacy' },
];
