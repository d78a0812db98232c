import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { SecretBox } from '../../platform/crypto/secret-box.js';
import type { AuthenticatorRecord, AuthenticatorRepository } from './authenticator-repository.js';
import { verifyTotp } from './totp.js';
import {
  parseWebAuthnConfig,
  verifyAuthentication,
  type ChallengeStore,
  type RelyingParty,
} from './webauthn.js';

export type SecondFactorMethod = 'totp' | 'webauthn' | 'recovery';

/** Stored config of a TOTP authenticator: the sealed secret and the last step accepted. */
const totpConfigSchema = z.object({
  secret: z.string(),
  lastUsedStep: z.number().int().nullable(),
});

/** Returns the sealing context of a user's TOTP secret, so a sealed secret opens for that user only. */
function totpContext(userId: number): string {
  return `totp:${userId}`;
}

/** Builds the stored config of a new TOTP authenticator, with its secret sealed. */
export function createTotpConfig(
  secrets: SecretBox,
  userId: number,
  secret: string,
  lastUsedStep: number,
): string {
  return JSON.stringify({ secret: secrets.seal(secret, totpContext(userId)), lastUsedStep });
}

/** Lists the second-step methods a user can use, in the order the login page offers them. */
export function listMethods(
  authenticators: readonly AuthenticatorRecord[],
  recoveryCodesLeft: number,
): SecondFactorMethod[] {
  const methods: SecondFactorMethod[] = [];
  if (authenticators.some((authenticator) => authenticator.type === 'totp')) {
    methods.push('totp');
  }
  if (authenticators.some((authenticator) => authenticator.type === 'webauthn')) {
    methods.push('webauthn');
  }
  if (recoveryCodesLeft > 0) {
    methods.push('recovery');
  }
  return methods;
}

export interface SecondFactorContext {
  authenticators: AuthenticatorRepository;
  secrets: SecretBox;
  sessions: { secureCookies: boolean };
}

/** A second factor as a request sends it. */
export type SecondFactorProof =
  | { method: 'totp'; code: string }
  | { method: 'recovery'; code: string }
  | { method: 'webauthn'; response: AuthenticationResponseJSON };

/**
 * Checks a TOTP code, recovery code or security key assertion of a user. A TOTP step and a
 * recovery code are spent by the check, so the same proof never works twice. Returns whether the
 * proof was valid.
 */
export async function verifySecondFactor(
  context: SecondFactorContext,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { userId: number; sessionIdHash: string; rp: RelyingParty; proof: SecondFactorProof },
): Promise<boolean> {
  const { proof, userId } = input;
  const now = Date.now();

  if (proof.method === 'recovery') {
    return context.authenticators.useRecoveryCode(userId, proof.code, now);
  }

  const authenticators = await context.authenticators.list(userId);
  if (proof.method === 'totp') {
    return verifyTotpFactor(context, authenticators, userId, proof.code, now);
  }

  const keys = authenticators
    .filter((authenticator) => authenticator.type === 'webauthn')
    .map((authenticator) => ({ authenticator, config: parseWebAuthnConfig(authenticator) }));
  const store: ChallengeStore = {
    secrets: context.secrets,
    secureCookies: context.sessions.secureCookies,
  };
  const verified = await verifyAuthentication(store, request, reply, {
    rp: input.rp,
    sessionIdHash: input.sessionIdHash,
    response: proof.response,
    keys,
  });

  if (verified === undefined) {
    return false;
  }
  const next = JSON.stringify({ ...verified.config, counter: verified.newCounter });
  return context.authenticators.swapConfig(
    verified.authenticator.id,
    verified.authenticator.config,
    next,
    now,
  );
}

async function verifyTotpFactor(
  context: SecondFactorContext,
  authenticators: readonly AuthenticatorRecord[],
  userId: number,
  code: string,
  now: number,
): Promise<boolean> {
  for (const authenticator of authenticators) {
    if (authenticator.type !== 'totp') {
      continue;
    }

    const config = totpConfigSchema.parse(JSON.parse(authenticator.config));
    const secret = context.secrets.open(config.secret, totpContext(userId));
    const step = verifyTotp(secret, code, now, config.lastUsedStep);
    if (step === undefined) {
      continue;
    }

    // Storing the step only if no other request stored one first refuses a replayed code.
    const next = JSON.stringify({ ...config, lastUsedStep: step });
    return context.authenticators.swapConfig(authenticator.id, authenticator.config, next, now);
  }
  return false;
}
