export { registerApiTokenRoutes } from './api-token-routes.js';
export { registerOrgTokenRoutes } from './org-token-routes.js';
export { TokenRepository, type StoredToken } from './token-repository.js';
export { createOrgTokenValue, readOrgTokenPayload } from './token-values.js';
