/** Sentry's API token scopes. */
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
] as const;

export type Scope = (typeof SCOPES)[number];

export function isScope(value: string): value is Scope {
  return (SCOPES as readonly string[]).includes(value);
}

/** Scopes each organization role grants to a session, as in Sentry's default role table. */
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
  ],
  admin: [
    'org:read',
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
  ],
  manager: SCOPES.filter((scope) => scope !== 'org:admin'),
  owner: SCOPES,
};
