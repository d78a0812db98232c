import type {
  AuthenticationResponseJSON,
  AuthenticatorTransportFuture,
  RegistrationResponseJSON,
} from '@simplewebauthn/server';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { SecretBox } from '../../platform/crypto/secret-box.js';
import { ValidationError } from '../../platform/errors.js';
import type { AuthenticatorRecord } from './authenticator-repository.js';

/** Cookie that carries the sealed challenge between the options and the verification request. */
const CHALLENGE_COOKIE = 'picket_webauthn';
const CHALLENGE_LIFETIME_MS = 5 * 60_000;
const RP_NAME = 'Picket';

/** The stored config of a security key. */
const webauthnConfigSchema = z.object({
  credentialId: z.string(),
  publicKey: z.string(),
  counter: z.number().int().nonnegative(),
  transports: z.array(z.string()).default([]),
});
export type WebAuthnConfig = z.infer<typeof webauthnConfigSchema>;

const challengeSchema = z.object({ challenge: z.string(), expiresAt: z.number() });

// @simplewebauthn/server and its X.509 and CBOR libraries add about 4 MB of heap, so they load on
// the first security-key request instead of at start-up.
function loadWebAuthn() {
  return import('@simplewebauthn/server');
}

/** The relying party of a request: the origin browsers sign and its host name. */
export interface RelyingParty {
  id: string;
  origin: string;
}

/**
 * Derives the relying party from `PICKET_URL` when set, else from the request's own host, so a
 * server reached as http://localhost:8000 works without configuration.
 */
export function relyingPartyOf(request: FastifyRequest, publicUrl: string | undefined) {
  const origin = publicUrl ?? `${request.protocol}://${request.host}`;
  const url = new URL(origin);
  return { id: url.hostname, origin: url.origin } satisfies RelyingParty;
}

export function parseWebAuthnConfig(authenticator: AuthenticatorRecord): WebAuthnConfig {
  return webauthnConfigSchema.parse(JSON.parse(authenticator.config));
}

/** Context of a sealed challenge: its purpose and the session it was issued to. */
function challengeContext(purpose: 'register' | 'login', sessionIdHash: string) {
  return `webauthn:${purpose}:${sessionIdHash}`;
}

export interface ChallengeStore {
  secrets: SecretBox;
  secureCookies: boolean;
}

function storeChallenge(
  store: ChallengeStore,
  reply: FastifyReply,
  context: string,
  challenge: string,
): void {
  const sealed = store.secrets.seal(
    JSON.stringify({ challenge, expiresAt: Date.now() + CHALLENGE_LIFETIME_MS }),
    context,
  );
  reply.setCookie(CHALLENGE_COOKIE, sealed, {
    path: '/',
    httpOnly: true,
    sameSite: 'strict',
    secure: store.secureCookies,
    maxAge: CHALLENGE_LIFETIME_MS / 1000,
  });
}

/**
 * Reads and clears the challenge cookie. A challenge works for one verification only.
 * @throws ValidationError when the cookie is missing, expired, or sealed for another session.
 */
function takeChallenge(
  store: ChallengeStore,
  request: FastifyRequest,
  reply: FastifyReply,
  context: string,
): string {
  const sealed = request.cookies[CHALLENGE_COOKIE];
  reply.clearCookie(CHALLENGE_COOKIE, { path: '/' });
  const expired = new ValidationError(
    'The security key challenge is missing or expired: request new options and try again',
  );

  if (sealed === undefined || sealed === '') {
    throw expired;
  }

  let parsed: z.infer<typeof challengeSchema>;
  try {
    parsed = challengeSchema.parse(JSON.parse(store.secrets.open(sealed, context)));
  } catch {
    // A cookie from another session, a rotated key or a tampered value: all mean "start over".
    throw expired;
  }
  if (parsed.expiresAt < Date.now()) {
    throw expired;
  }
  return parsed.challenge;
}

const toTransports = (transports: readonly string[]) =>
  transports as AuthenticatorTransportFuture[];

/** Creates the options of `navigator.credentials.create()` for a new security key. */
export async function createRegistrationOptions(
  store: ChallengeStore,
  reply: FastifyReply,
  input: {
    rp: RelyingParty;
    sessionIdHash: string;
    user: { id: number; email: string; name: string };
    existing: readonly WebAuthnConfig[];
  },
) {
  const options = await (
    await loadWebAuthn()
  ).generateRegistrationOptions({
    rpName: RP_NAME,
    rpID: input.rp.id,
    userName: input.user.email,
    userDisplayName: input.user.name,
    userID: new TextEncoder().encode(`picket-user-${input.user.id}`),
    attestationType: 'none',
    excludeCredentials: input.existing.map((key) => ({
      id: key.credentialId,
      transports: toTransports(key.transports),
    })),
    authenticatorSelection: { residentKey: 'discouraged', userVerification: 'preferred' },
  });
  storeChallenge(
    store,
    reply,
    challengeContext('register', input.sessionIdHash),
    options.challenge,
  );
  return options;
}

/**
 * Verifies the response of `navigator.credentials.create()` and returns the config to store.
 * @throws ValidationError when the response does not verify.
 */
export async function verifyRegistration(
  store: ChallengeStore,
  request: FastifyRequest,
  reply: FastifyReply,
  input: { rp: RelyingParty; sessionIdHash: string; response: RegistrationResponseJSON },
): Promise<WebAuthnConfig> {
  const expectedChallenge = takeChallenge(
    store,
    request,
    reply,
    challengeContext('register', input.sessionIdHash),
  );
  const result = await (
    await loadWebAuthn()
  )
    .verifyRegistrationResponse({
      response: input.response,
      expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      requireUserVerification: false,
    })
    .catch((error: unknown) => {
      request.log.info({ err: error }, 'security key registration rejected');
      return { verified: false as const };
    });

  if (!result.verified) {
    throw new ValidationError('The security key response could not be verified');
  }

  const { credential } = result.registrationInfo;
  return {
    credentialId: credential.id,
    publicKey: Buffer.from(credential.publicKey).toString('base64url'),
    counter: credential.counter,
    transports: credential.transports ?? [],
  };
}

/** Creates the options of `navigator.credentials.get()` for the user's security keys. */
export async function createAuthenticationOptions(
  store: ChallengeStore,
  reply: FastifyReply,
  input: { rp: RelyingParty; sessionIdHash: string; keys: readonly WebAuthnConfig[] },
) {
  const options = await (
    await loadWebAuthn()
  ).generateAuthenticationOptions({
    rpID: input.rp.id,
    allowCredentials: input.keys.map((key) => ({
      id: key.credentialId,
      transports: toTransports(key.transports),
    })),
    userVerification: 'preferred',
  });
  storeChallenge(store, reply, challengeContext('login', input.sessionIdHash), options.challenge);
  return options;
}

/**
 * Verifies the response of `navigator.credentials.get()` against one of the user's keys and
 * returns that key with its new signature counter, or undefined when it does not verify.
 */
export async function verifyAuthentication(
  store: ChallengeStore,
  request: FastifyRequest,
  reply: FastifyReply,
  input: {
    rp: RelyingParty;
    sessionIdHash: string;
    response: AuthenticationResponseJSON;
    keys: readonly { authenticator: AuthenticatorRecord; config: WebAuthnConfig }[];
  },
) {
  const expectedChallenge = takeChallenge(
    store,
    request,
    reply,
    challengeContext('login', input.sessionIdHash),
  );
  const key = input.keys.find((candidate) => candidate.config.credentialId === input.response.id);
  if (key === undefined) {
    return undefined;
  }

  const result = await (
    await loadWebAuthn()
  )
    .verifyAuthenticationResponse({
      response: input.response,
      expectedChallenge,
      expectedOrigin: input.rp.origin,
      expectedRPID: input.rp.id,
      credential: {
        id: key.config.credentialId,
        publicKey: Buffer.from(key.config.publicKey, 'base64url'),
        counter: key.config.counter,
        transports: toTransports(key.config.transports),
      },
      requireUserVerification: false,
    })
    .catch((error: unknown) => {
      request.log.info({ err: error }, 'security key assertion rejected');
      return undefined;
    });

  if (result === undefined || !result.verified) {
    return undefined;
  }
  return { ...key, newCounter: result.authenticationInfo.newCounter };
}
