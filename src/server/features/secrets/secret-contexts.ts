/**
 * The additional data each sealed value is bound to. A value sealed for one row does not open
 * with another row's context, so a copied ciphertext is useless elsewhere.
 */

/** Context of a named row of `instance_secrets`, such as the SMTP password. */
export function instanceSecretContext(name: string): string {
  return `instance:${name}`;
}

/** Context of a user's TOTP seed in `user_authenticators.config`. */
export function totpSecretContext(userId: number): string {
  return `totp:${userId}`;
}

/** Context of a webhook action's signing secret, in a rule of this project and in its deliveries. */
export function webhookSecretContext(projectId: number): string {
  return `webhook:${projectId}`;
}
