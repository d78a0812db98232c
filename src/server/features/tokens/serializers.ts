import type { ApiToken, OrgAuthToken } from '../../../shared/api/tokens.js';
import type { StoredToken } from './token-repository.js';

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

export function splitScopes(scopes: string): string[] {
  return scopes.split(' ').filter((scope) => scope !== '');
}

export function serializeApiToken(token: StoredToken): ApiToken {
  return {
    id: String(token.id),
    name: token.name,
    scopes: splitScopes(token.scopes),
    tokenLastCharacters: token.tokenLastCharacters,
    expiresAt: iso(token.expiresAt),
    dateCreated: new Date(token.createdAt).toISOString(),
    dateLastUsed: iso(token.lastUsedAt),
    application: null,
  };
}

export function serializeOrgAuthToken(token: StoredToken): OrgAuthToken {
  return {
    id: String(token.id),
    name: token.name,
    scopes: splitScopes(token.scopes),
    tokenLastCharacters: token.tokenLastCharacters,
    dateCreated: new Date(token.createdAt).toISOString(),
    dateLastUsed: iso(token.lastUsedAt),
    projectLastUsedId: null,
  };
}
