/** Sentry's API token scopes (`SENTRY_SCOPES` in Sentry 25.12 `conf/server.py`). */
export const SCOPES = [
  'org:read',
  'org:write',
  'org:admin',
  'member:read',
  'member:write',
  'member:admin',
  'team:read',
  'team:write',
  'team:admin',
  'project:read',
  'project:write',
  'project:admin',
  'project:releases',
  'event:read',
  'event:write',
  'event:admin',
  'org:ci',
  'alerts:read',
  'alerts:write',
  'member:invite',
  'project:distribution',
  'org:integrations',
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/**
 * Scopes each organization role grants to a session, as in Sentry's default role table
 * (`SENTRY_ROLES` in Sentry 25.12). Sentry also gives `member:invite` to members and admins
 * unless the organization turns member invites off. Picket has no such setting, so only
 * managers and owners invite. No role contains `org:ci` or `project:distribution`, because Sentry
 * grants those to tokens only. `org:ci` on a token is short for the scopes in `ORG_TOKEN_SCOPES`.
 */
export const ROLE_SCOPES: Record<string, readonly Scope[]> = {
  member: [
    'org:read',
    'member:read',
    'team:read',
    'project:read',
    'project:releases',
    'event:read',
    'event:write',
    'event:admin',
    'alerts:read',
    'alerts:write',
  ],
  admin: [
    'org:read',
    'org:integrations',
    'member:read',
    'team:read',
    'team:write',
    'team:admin',
    'project:read',
    'project:write',
    'project:admin',
    'project:releases',
    'event:read',
    'event:write',
    'event:admin',
    'alerts:read',
    'alerts:write',
  ],
  manager: SCOPES.filter(
    (scope) => scope !== 'org:admin' && scope !== 'org:ci' && scope !== 'project:distribution',
  ),
  owner: SCOPES.filter((scope) => scope !== 'org:ci' && scope !== 'project:distribution'),
};
