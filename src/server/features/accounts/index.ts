export { AccountRepository, type UserRecord } from './account-repository.js';
export { registerAuthRoutes } from './auth-routes.js';
export { hashPassword, verifyPassword, MIN_PASSWORD_LENGTH } from './passwords.js';
export { registerRequestAuth, requireAuth, type RequestAuth } from './request-auth.js';
export { SCOPES, isScope, type Scope } from './scopes.js';
export { createApiTokenValue, hashSecret } from './secrets.js';
