export { rotateSecrets, type TableRotation } from './rotate-secrets.js';
export {
  instanceSecretContext,
  totpSecretContext,
  webhookSecretContext,
} from './secret-contexts.js';
