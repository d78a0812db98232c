import type { ProjectKey } from '../../../shared/api/accounts';
import { fetchApi } from '../../lib/api-client';

/**
 * Rotates a DSN key: the server creates a key with the same settings and disables this one, in
 * one request. Returns the new key.
 */
export function rotateProjectKey(
  orgSlug: string,
  projectSlug: string,
  keyId: string,
): Promise<ProjectKey> {
  const path = `/api/0/projects/${encodeURIComponent(orgSlug)}/${encodeURIComponent(projectSlug)}/keys/${encodeURIComponent(keyId)}/rotate/`;
  return fetchApi<ProjectKey>(path, { method: 'POST' });
}
