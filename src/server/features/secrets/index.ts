export { rotateSecrets, type TableRotation } from './rotate-secrets.js';
export { instanceSecretContext, totpSecretContext } from './secret-contexts.js';
