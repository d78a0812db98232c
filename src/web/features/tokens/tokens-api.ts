import type {
  ApiToken,
  CreateApiTokenRequest,
  CreatedApiToken,
  CreatedOrgAuthToken,
  OrgAuthToken,
} from '../../../shared/api/tokens';
import { fetchApi } from '../../lib/api-client';

export const tokenQueryKeys = {
  userTokens: () => ['api-tokens'] as const,
  orgTokens: (orgSlug: string) => ['org-auth-tokens', orgSlug] as const,
};

const orgTokensPath = (orgSlug: string) =>
  `/api/0/organizations/${encodeURIComponent(orgSlug)}/org-auth-tokens/`;

export function userTokensOptions() {
  return {
    queryKey: tokenQueryKeys.userTokens(),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchApi<ApiToken[]>('/api/0/api-tokens/', { signal }),
  };
}

export function orgTokensOptions(orgSlug: string) {
  return {
    queryKey: tokenQueryKeys.orgTokens(orgSlug),
    queryFn: ({ signal }: { signal: AbortSignal }) =>
      fetchApi<OrgAuthToken[]>(orgTokensPath(orgSlug), { signal }),
  };
}

export function createUserToken(request: CreateApiTokenRequest): Promise<CreatedApiToken> {
  return fetchApi<CreatedApiToken>('/api/0/api-tokens/', { method: 'POST', body: request });
}

export async function deleteUserToken(tokenId: string): Promise<void> {
  await fetchApi<undefined>(`/api/0/api-tokens/${encodeURIComponent(tokenId)}/`, {
    method: 'DELETE',
  });
}

export function createOrgToken(orgSlug: string, name: string): Promise<CreatedOrgAuthToken> {
  return fetchApi<CreatedOrgAuthToken>(orgTokensPath(orgSlug), {
    method: 'POST',
    body: { name },
  });
}

export async function deleteOrgToken(orgSlug: string, tokenId: string): Promise<void> {
  await fetchApi<undefined>(`${orgTokensPath(orgSlug)}${encodeURIComponent(tokenId)}/`, {
    method: 'DELETE',
  });
}
