import { ROLE_SCOPES } from '../accounts/scopes.js';
import { readAllowedDomains, toRateLimitSetting } from '../rate-limits/index.js';
import type {
  OrganizationRecord,
  ProjectKeyRecord,
  ProjectRecord,
  TeamRecord,
} from './organization-repository.js';

const iso = (ms: number) => new Date(ms).toISOString();

export function serializeOrganization(organization: OrganizationRecord, role?: string) {
  return {
    id: String(organization.id),
    slug: organization.slug,
    name: organization.name,
    dateCreated: iso(organization.createdAt),
    status: { id: 'active', name: 'active' },
    isEarlyAdopter: false,
    require2FA: organization.requireTwoFactor === 1,
    openMembership: organization.openMembership !== 0,
    defaultRole: organization.defaultRole,
    features: [],
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
    ...(role === undefined ? {} : { orgRole: role, access: ROLE_SCOPES[role] ?? [] }),
  };
}

export function serializeTeam(
  team: TeamRecord,
  extra: { memberCount?: number; isMember?: boolean } = {},
) {
  return {
    id: String(team.id),
    slug: team.slug,
    name: team.name,
    dateCreated: iso(team.createdAt),
    isMember: extra.isMember ?? true,
    memberCount: extra.memberCount ?? 0,
    hasAccess: true,
    avatar: { avatarType: 'letter_avatar', avatarUuid: null },
  };
}

/** Serializes a project; `options` is added for the project details endpoint only. */
export function serializeProject(
  project: ProjectRecord,
  organization: OrganizationRecord,
  teams: TeamRecord[] = [],
  options?: Record<string, string>,
  fields: Record<string, unknown> = {},
) {
  const serializedTeams = teams.map((team) => ({
    id: String(team.id),
    slug: team.slug,
    name: team.name,
  }));
  return {
    id: String(project.id),
    slug: project.slug,
    name: project.name,
    platform: project.platform,
    dateCreated: iso(project.createdAt),
    firstEvent: project.firstEventAt === null ? null : iso(project.firstEventAt),
    hasAccess: true,
    isMember: true,
    isBookmarked: false,
    status: 'active',
    features: [],
    organization: { id: String(organization.id), slug: organization.slug, name: organization.name },
    team: serializedTeams[0] ?? null,
    teams: serializedTeams,
    ...(options === undefined ? {} : { options }),
    ...fields,
  };
}

/**
 * Builds the DSN family of a key for a public base URL such as `https://picket.example.com`.
 * Endpoints Picket does not serve (NEL, Unreal, the loader CDN) are null, so that no client is
 * pointed at a route that responds with 404.
 */
export function buildDsns(baseUrl: string, key: ProjectKeyRecord) {
  const url = new URL(baseUrl);
  const host = url.host;
  const path = url.pathname.replace(/\/+$/, '');

  const api = `${url.protocol}//${host}${path}/api/${key.projectId}`;
  const security = `${api}/security/?sentry_key=${key.publicKey}`;

  return {
    public: `${url.protocol}//${key.publicKey}@${host}${path}/${key.projectId}`,
    secret: `${url.protocol}//${key.publicKey}:${key.secretKey}@${host}${path}/${key.projectId}`,
    csp: security,
    security,
    minidump: `${api}/minidump/?sentry_key=${key.publicKey}`,
    nel: null,
    unreal: null,
    cdn: null,
    // Sentry's placeholder, which the user replaces with the monitor's slug.
    crons: `${api}/cron/___MONITOR_SLUG___/${key.publicKey}/`,
    otlp_traces: `${api}/integration/otlp/v1/traces`,
    otlp_logs: `${api}/integration/otlp/v1/logs`,
  };
}

export function serializeProjectKey(key: ProjectKeyRecord, baseUrl: string) {
  return {
    id: key.publicKey,
    name: key.label,
    label: key.label,
    public: key.publicKey,
    secret: key.secretKey,
    projectId: key.projectId,
    isActive: key.isActive === 1,
    rateLimit: toRateLimitSetting(key.rateLimitCount, key.rateLimitWindow),
    // Picket's own field: origins that browsers may send events from.
    allowedDomains: readAllowedDomains(key.allowedDomains),
    dsn: buildDsns(baseUrl, key),
    browserSdkVersion: 'latest',
    browserSdk: { choices: [['latest', 'latest']] },
    dateCreated: iso(key.createdAt),
    dynamicSdkLoaderOptions: { hasReplay: false, hasPerformance: false, hasDebug: false },
  };
}
