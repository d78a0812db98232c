/**
 * Wire types of the token endpoints: user tokens (`/api/0/api-tokens/`) and organization tokens
 * (`/api/0/organizations/{org}/org-auth-tokens/`), in Sentry's shapes.
 */

/** A user API token as listed; the value itself is never listed. */
export interface ApiToken {
  id: string;
  name: string;
  scopes: string[];
  /** Last four characters of the value, to tell tokens apart. */
  tokenLastCharacters: string;
  /** ISO 8601 timestamp, or null for a token that does not expire. */
  expiresAt: string | null;
  dateCreated: string;
  dateLastUsed: string | null;
  /** Sentry's OAuth application; always null for personal tokens. */
  application: null;
}

/** Response of creating a user token: the only response that contains its value. */
export interface CreatedApiToken extends ApiToken {
  token: string;
}

export interface CreateApiTokenRequest {
  name: string;
  scopes: string[];
  /** ISO 8601 timestamp after which the token is rejected. */
  expiresAt?: string | null;
}

/** An organization token as listed. */
export interface OrgAuthToken {
  id: string;
  name: string;
  /** Always `["org:ci"]`. */
  scopes: string[];
  tokenLastCharacters: string;
  dateCreated: string;
  dateLastUsed: string | null;
  projectLastUsedId: string | null;
}

export interface CreatedOrgAuthToken extends OrgAuthToken {
  token: string;
}
