/**
 * The oracle of the authorization matrix: which scope a route needs, inferred from the method
 * and the path as Sentry's permission classes do, with a reviewed table of exceptions.
 */
import type { Role } from './world.js';

export type Level = 'read' | 'write' | 'admin';
export type Family = 'org' | 'member' | 'team' | 'project' | 'event' | 'releases';

/** What a route needs: a public route, any signed-in user, or a scope family and level. */
export type Requirement =
  | { kind: 'public'; reason: string }
  | { kind: 'user'; reason: string }
  | {
      kind: 'scope';
      family: Family;
      level: Level;
      /** Further scopes the route accepts beyond the family rule. */
      alsoAccepts?: readonly string[];
      reason?: string;
    };

/** Routes any caller may use without credentials. Ingest routes (`/api/{id}/…`) use DSN auth. */
export const PUBLIC_ROUTES: Record<string, string> = {
  'GET /api/0/': 'API root: Sentry returns the version and the caller, if any',
  'POST /api/0/auth/login/': 'the login form itself',
  'POST /api/0/auth/logout/': 'logging out without a session is a no-op',
};

/** Path patterns of public routes that a later feature may add. */
const PUBLIC_PATTERNS: { pattern: RegExp; reason: string }[] = [
  {
    pattern: /\/accept-invite\//,
    reason: 'accepting an invite works before the user has an account',
  },
  { pattern: /^\/api\/0\/auth\/(2fa|two-factor|webauthn|totp)/, reason: 'second login step' },
  { pattern: /^\/api\/0\/auth\/(password-reset|recover)/, reason: 'password reset by e-mail' },
];

/**
 * Routes whose permission differs from the method-and-path rule, each with the reason. Keys
 * are `METHOD pattern` as the route table writes them.
 */
export const EXCEPTIONS: Record<string, Requirement> = {
  'POST /api/0/projects/:org/:project/data-scrubbing/preview/': {
    kind: 'scope',
    family: 'event',
    level: 'read',
    reason: 'changes nothing and shows a stored event, so it needs event:read',
  },
  'DELETE /api/0/projects/:org/:project/teams/:team/': {
    kind: 'scope',
    family: 'project',
    level: 'write',
    reason:
      'unlinking a team from a project is the inverse of linking it, which needs project:write',
  },
  'GET /api/0/auth/': { kind: 'user', reason: 'returns the caller itself' },
  'GET /api/0/organizations/': {
    kind: 'user',
    reason: "lists only the caller's own organizations (Sentry: any authenticated user)",
  },
  'POST /api/0/organizations/': {
    kind: 'user',
    reason: 'any user may create an organization (Sentry: organizations:create feature)',
  },
  'GET /api/0/projects/': {
    kind: 'user',
    reason: "lists only projects of the caller's organizations",
  },
  'POST /api/0/teams/:org/:team/projects/': {
    kind: 'scope',
    family: 'project',
    level: 'write',
    reason: 'creates a project: Sentry TeamProjectsEndpoint needs project:write',
  },
  'POST /api/0/projects/:org/:project/grouping-rules/validate/': {
    kind: 'scope',
    family: 'project',
    level: 'read',
    reason: 'only parses the rules it is sent and stores nothing',
  },
  'POST /api/0/projects/:org/:project/user-feedback/': {
    kind: 'scope',
    family: 'project',
    level: 'read',
    reason: 'Sentry ProjectUserReportsEndpoint accepts project:read (DSN or member submits)',
  },
  'POST /api/0/projects/:org/:project/user-reports/': {
    kind: 'scope',
    family: 'project',
    level: 'read',
    reason: 'alias of user-feedback',
  },
  'GET /api/0/organizations/:org/projects/': {
    kind: 'scope',
    family: 'org',
    level: 'read',
    alsoAccepts: ['project:read', 'project:write', 'project:admin'],
    reason: 'lists the projects, which a project:read token may read one by one anyway',
  },
  'GET /api/0/organizations/:org/ingest-controls/': {
    kind: 'scope',
    family: 'org',
    level: 'read',
    alsoAccepts: ['project:read', 'project:write', 'project:admin'],
    reason: "the projects' ingest settings, each readable with project:read",
  },
  'GET /api/0/organizations/:org/members/': {
    kind: 'scope',
    family: 'member',
    level: 'read',
    alsoAccepts: ['org:read', 'org:write', 'org:admin'],
    reason: 'the member list (names, e-mails, roles) is visible to every member',
  },
  'GET /api/0/organizations/:org/environments/': {
    kind: 'scope',
    family: 'org',
    level: 'read',
    alsoAccepts: ['event:read', 'event:write', 'event:admin'],
    reason: 'environment names come from events, so event readers see them anyway',
  },
  'GET /api/0/projects/:org/:project/environments/': {
    kind: 'scope',
    family: 'project',
    level: 'read',
    alsoAccepts: ['event:read', 'event:write', 'event:admin'],
    reason: 'environment names come from events, so event readers see them anyway',
  },
  'DELETE /api/0/organizations/:org/issues/:issueId/comments/:activityId/': {
    kind: 'scope',
    family: 'event',
    level: 'write',
    reason: "the author deletes their own comment (Sentry's note endpoints take event:write)",
  },
  'DELETE /api/0/issues/:issueId/comments/:activityId/': {
    kind: 'scope',
    family: 'event',
    level: 'write',
    reason: "the author deletes their own comment (Sentry's note endpoints take event:write)",
  },
  'GET /api/0/organizations/:org/combined-rules/': {
    kind: 'scope',
    family: 'org',
    level: 'read',
    alsoAccepts: ['project:read', 'project:write', 'project:admin', 'alerts:read', 'alerts:write'],
    reason: "lists the rules of the caller's projects, each readable with project:read",
  },
  'GET /api/0/organizations/:org/issues/:issueId/picket-alerts/': {
    kind: 'scope',
    family: 'event',
    level: 'read',
    alsoAccepts: ['project:read', 'project:write', 'project:admin', 'alerts:read', 'alerts:write'],
    reason: "the issue's firings, which the rule's group-history shows to rule readers anyway",
  },
  'GET /api/0/issues/:issueId/picket-alerts/': {
    kind: 'scope',
    family: 'event',
    level: 'read',
    alsoAccepts: ['project:read', 'project:write', 'project:admin', 'alerts:read', 'alerts:write'],
    reason: "the issue's firings, which the rule's group-history shows to rule readers anyway",
  },
  'GET /api/0/organizations/:org/chunk-upload/': {
    kind: 'scope',
    family: 'releases',
    level: 'read',
    reason: 'upload options only; Sentry ChunkUploadEndpoint takes org:ci/project:releases',
  },
};

/**
 * Saved searches are personal (visibility `owner`) unless shared, so reading and keeping one's
 * own needs only event:read, whatever the method.
 */
const SAVED_SEARCH: Requirement = {
  kind: 'scope',
  family: 'event',
  level: 'read',
  alsoAccepts: ['org:read', 'org:write', 'org:admin'],
  reason: 'personal saved searches (Sentry lets any member with org:read keep their own)',
};
for (const method of ['GET', 'POST']) {
  EXCEPTIONS[`${method} /api/0/organizations/:org/searches/`] = SAVED_SEARCH;
}
for (const method of ['PUT', 'DELETE']) {
  EXCEPTIONS[`${method} /api/0/organizations/:org/searches/:searchId/`] = SAVED_SEARCH;
}

/** Returns `METHOD url`, the key of the tables above. */
export function routeKey(method: string, url: string): string {
  return `${method} ${url}`;
}

function levelOf(method: string): Level {
  if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
    return 'read';
  }
  return method === 'DELETE' ? 'admin' : 'write';
}

const EVENT_PATH =
  /\/(issues|events|eventids|shortids|user-feedback|user-reports|logs|transactions|traces|attachments|hashes|comments|activities|tags|grouping-info)(\/|$)/;
const RELEASE_PATH =
  /\/(releases|files|chunk-upload|artifactbundle|artifact-bundles|assemble)(\/|$)/;

/** Infers the requirement of a web API route, or returns undefined for non-API routes. */
export function requirementOf(method: string, url: string): Requirement | undefined {
  if (!url.startsWith('/api/0/')) {
    return undefined;
  }
  const key = routeKey(method, url);
  const publicReason =
    PUBLIC_ROUTES[key] ?? PUBLIC_PATTERNS.find((entry) => entry.pattern.test(url))?.reason;
  if (publicReason !== undefined) {
    return { kind: 'public', reason: publicReason };
  }
  const exception = EXCEPTIONS[key];
  if (exception !== undefined) {
    return exception;
  }

  const level = levelOf(method);
  if (/\/monitors(\/|$)/.test(url)) {
    // A monitor is an alert setting of a project, so project:write (or Sentry's alerts:write)
    // manages it, deletes included, and org:read lists it as Sentry's monitor list does.
    return level === 'read'
      ? {
          kind: 'scope',
          family: 'project',
          level,
          alsoAccepts: ['org:read', 'org:write', 'org:admin', 'alerts:read'],
        }
      : { kind: 'scope', family: 'project', level: 'write', alsoAccepts: ['alerts:write'] };
  }
  if (/^\/api\/0\/projects\/:[a-zA-Z]+\/:[a-zA-Z]+\/rules(\/|$)/.test(url)) {
    // Sentry's ProjectAlertRulePermission: project:read or alerts:read reads, and project:write
    // or alerts:write writes and deletes. The preview is a POST and lists issues, so it takes
    // the write scopes as in Sentry.
    return level === 'read'
      ? { kind: 'scope', family: 'project', level, alsoAccepts: ['alerts:read', 'alerts:write'] }
      : { kind: 'scope', family: 'project', level: 'write', alsoAccepts: ['alerts:write'] };
  }
  const rest = url.slice('/api/0/'.length);
  let family: Family | undefined;
  if (/^organizations\/:[a-zA-Z]+\/(members|invites?|invite-requests)(\/|$)/.test(rest)) {
    family = 'member';
  } else if (/^teams\//.test(rest) || /^organizations\/:[a-zA-Z]+\/teams(\/|$)/.test(rest)) {
    family = 'team';
  } else if (RELEASE_PATH.test(url)) {
    family = 'releases';
  } else if (EVENT_PATH.test(url)) {
    family = 'event';
  } else if (/^projects\/:/.test(rest)) {
    family = 'project';
  } else if (/^organizations\/:/.test(rest)) {
    family = 'org';
  }
  if (family === undefined) {
    // Routes about the caller (`/users/me/`, `/api-tokens/`, `/auth/…`): a session or token
    // acts on its own user only, which the matrix checks through the marker of organization B.
    return { kind: 'user', reason: 'acts on the caller only' };
  }
  return { kind: 'scope', family, level };
}

/** Scopes that satisfy a requirement, following Sentry's permission classes. */
export function acceptedScopes(family: Family, level: Level): string[] {
  if (family === 'releases') {
    // Sentry ProjectReleasePermission: GET also takes project:read/write/admin; writes take
    // project:releases or project:write/admin; DELETE project:releases or project:admin.
    if (level === 'read') {
      return ['project:read', 'project:write', 'project:admin', 'project:releases', 'org:ci'];
    }
    if (level === 'write') {
      return ['project:write', 'project:admin', 'project:releases', 'org:ci'];
    }
    return ['project:admin', 'project:releases', 'org:ci'];
  }
  const order: Level[] = ['read', 'write', 'admin'];
  return order.slice(order.indexOf(level)).map((item) => `${family}:${item}`);
}

/**
 * Sentry's default organization roles (the role table of Sentry's server settings), restated
 * here as the oracle rather than imported from the code under test.
 */
export const ROLE_SCOPES: Record<Role, readonly string[]> = {
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
  manager: [
    'org:read',
    'org:write',
    'member:read',
    'member:write',
    'member:admin',
    'member:invite',
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
  owner: [
    'org:read',
    'org:write',
    'org:admin',
    'org:ci',
    'member:read',
    'member:write',
    'member:admin',
    'member:invite',
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
};
