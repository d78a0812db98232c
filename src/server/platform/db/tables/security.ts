import type { Generated } from 'kysely';

/**
 * Tables of two-factor authentication, login throttling, invitations, the audit log, encrypted
 * instance secrets and data-scrubbing settings. Columns added to older tables (users, sessions,
 * tokens, organizations, team members) are declared on those tables in `schema.ts`.
 */
export interface SecurityTables {
  userAuthenticators: UserAuthenticatorsTable;
  userRecoveryCodes: UserRecoveryCodesTable;
  authThrottle: AuthThrottleTable;
  organizationInvites: OrganizationInvitesTable;
  auditLog: AuditLogTable;
  instanceSecrets: InstanceSecretsTable;
  scrubbingSettings: ScrubbingSettingsTable;
}

/**
 * A second factor of a user. `type` is `totp` or `webauthn`; `config` is JSON, encrypted with
 * the secret key where it contains a secret (the TOTP seed).
 */
export interface UserAuthenticatorsTable {
  id: Generated<number>;
  userId: number;
  type: string;
  name: string;
  config: string;
  createdAt: number;
  lastUsedAt: number | null;
}

/** A one-time recovery code, stored as its SHA-256; `usedAt` is set when it is spent. */
export interface UserRecoveryCodesTable {
  userId: number;
  codeHash: string;
  createdAt: number;
  usedAt: number | null;
}

/** Attempts counted per key (such as `login:ip:203.0.113.9`) in a fixed window. */
export interface AuthThrottleTable {
  key: string;
  windowStart: number;
  count: number;
}

/**
 * A pending invitation to an organization. The link carries a random token whose SHA-256 is
 * `tokenHash`; `teamIds` is a JSON array. Accepting deletes the row, so a link works once.
 */
export interface OrganizationInvitesTable {
  id: Generated<number>;
  organizationId: number;
  email: string;
  role: string;
  teamIds: string;
  tokenHash: string;
  inviterId: number | null;
  createdAt: number;
  expiresAt: number;
}

/**
 * One security-relevant action. Rows are never changed or deleted (triggers refuse it), and
 * `organizationId` has no foreign key, so the log outlives a deleted organization. `data` is
 * plain JSON. Instance-level actions (failed logins of unknown users, superuser changes) have
 * no organization.
 */
export interface AuditLogTable {
  id: Generated<number>;
  organizationId: number | null;
  actorUserId: number | null;
  actorLabel: string;
  actorTokenId: number | null;
  ipAddress: string | null;
  userAgent: string | null;
  event: string;
  targetType: string | null;
  targetId: string | null;
  data: string;
  createdAt: number;
}

/** A named instance secret, such as the SMTP password, encrypted with the secret key. */
export interface InstanceSecretsTable {
  name: string;
  value: string;
  updatedAt: number;
}

/** Data-scrubbing settings as JSON; `projectId` 0 is the organization's row. */
export interface ScrubbingSettingsTable {
  organizationId: number;
  projectId: number;
  config: string;
  updatedAt: number;
}
