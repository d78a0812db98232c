import type { RegistrationResponseJSON } from '@simplewebauthn/server';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

import { NotFoundError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import type { AuthenticatorRecord } from './authenticator-repository.js';
import { restartSessions, type AccountContext } from './login-completion.js';
import { createRecoveryCodes } from './recovery-codes.js';
import { createTotpConfig } from './second-factor.js';
import { requireRecentAuth, requireSession } from './sudo.js';
import { buildOtpauthUri, createTotpSecret, verifyTotp } from './totp.js';
import {
  createRegistrationOptions,
  parseWebAuthnConfig,
  relyingPartyOf,
  verifyRegistration,
} from './webauthn.js';

/** An unconfirmed TOTP enrollment expires after this long. */
const ENROLLMENT_LIFETIME_MS = 15 * 60_000;
const TOTP_ISSUER = 'Picket';

const nameSchema = z.string().trim().min(1).max(64).optional();
const totpConfirmSchema = z.object({
  enrollmentToken: z.string().min(1).max(2048),
  code: z.string().min(1).max(16),
  name: nameSchema,
});
const enrollmentSchema = z.object({ secret: z.string(), expiresAt: z.number() });
const securityKeySchema = z.object({
  response: z.object({
    id: z.string().min(1).max(1024),
    rawId: z.string().min(1).max(1024),
    type: z.literal('public-key'),
    response: z.object({
      clientDataJSON: z.string().max(8192),
      attestationObject: z.string().max(65_536),
      transports: z.array(z.string().max(32)).max(10).optional(),
    }),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
    authenticatorAttachment: z.enum(['platform', 'cross-platform']).optional(),
  }),
  name: nameSchema,
});
const idParamsSchema = z.object({ id: z.string().regex(/^\d{1,15}$/) });

function enrollmentContext(userId: number): string {
  return `totp-enrollment:${userId}`;
}

function serializeAuthenticator(authenticator: AuthenticatorRecord) {
  return {
    id: String(authenticator.id),
    type: authenticator.type,
    name: authenticator.name,
    dateCreated: new Date(authenticator.createdAt).toISOString(),
    lastUsed:
      authenticator.lastUsedAt === null ? null : new Date(authenticator.lastUsedAt).toISOString(),
  };
}

/**
 * Second factors of the current user: list, add a TOTP app (shown once, active after a code
 * confirms it), add a security key, remove one, and regenerate recovery codes. Every change
 * needs a recent password or code and ends the user's other sessions.
 */
export function registerAuthenticatorRoutes(app: FastifyInstance, context: AccountContext) {
  const { authenticators } = context;
  const store = { secrets: context.secrets, secureCookies: context.sessions.secureCookies };

  /** Stores a new factor, creates recovery codes for a first one, and restarts the sessions. */
  async function addFactor(
    request: FastifyRequest,
    reply: FastifyReply,
    input: { userId: number; sessionIdHash: string; type: 'totp' | 'webauthn' },
    build: { name: string; config: string },
  ) {
    const isFirst = (await authenticators.list(input.userId)).length === 0;
    const authenticator = await authenticators.create({
      userId: input.userId,
      type: input.type,
      ...build,
    });
    const recoveryCodes = isFirst ? createRecoveryCodes() : null;

    if (recoveryCodes !== null) {
      await authenticators.replaceRecoveryCodes(input.userId, recoveryCodes);
    }
    await restartSessions(context, request, reply, input);
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.2fa-enable',
      targetType: 'authenticator',
      targetId: authenticator.id,
      data: { type: input.type, name: authenticator.name },
    });
    return reply.status(201).send({
      authenticator: serializeAuthenticator(authenticator),
      recoveryCodes,
    });
  }

  app.get('/api/0/users/me/authenticators/', async (request) => {
    const auth = requireSession(request);
    const list = await authenticators.list(auth.user.id);
    const summary = await authenticators.summarizeRecoveryCodes(auth.user.id);
    return {
      authenticators: list.map(serializeAuthenticator),
      recoveryCodes: {
        remaining: summary.remaining,
        total: summary.total,
        dateCreated: summary.createdAt === null ? null : new Date(summary.createdAt).toISOString(),
      },
    };
  });

  app.post('/api/0/users/me/authenticators/totp/', async (request) => {
    const auth = requireRecentAuth(request);
    const existing = await authenticators.list(auth.user.id);

    if (existing.some((authenticator) => authenticator.type === 'totp')) {
      throw new ValidationError('An authenticator app is already set up: remove it to add another');
    }

    const secret = createTotpSecret();
    const enrollmentToken = context.secrets.seal(
      JSON.stringify({ secret, expiresAt: Date.now() + ENROLLMENT_LIFETIME_MS }),
      enrollmentContext(auth.user.id),
    );
    const uri = buildOtpauthUri({ issuer: TOTP_ISSUER, account: auth.user.email, secret });
    return { secret, uri, enrollmentToken };
  });

  app.post('/api/0/users/me/authenticators/totp/confirm/', async (request, reply) => {
    const auth = requireRecentAuth(request);
    const parsed = totpConfirmSchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send {"enrollmentToken": "...", "code": "123456"}');
    }

    const enrollment = openEnrollment(parsed.data.enrollmentToken, auth.user.id);
    const step = verifyTotp(enrollment.secret, parsed.data.code, Date.now(), null);
    if (step === undefined) {
      throw new ValidationError('The code is not valid: enter the current code of the app', {
        code: ['Invalid code'],
      });
    }

    const existing = await authenticators.list(auth.user.id);
    if (existing.some((authenticator) => authenticator.type === 'totp')) {
      throw new ValidationError('An authenticator app is already set up: remove it to add another');
    }
    return addFactor(
      request,
      reply,
      { ...auth, userId: auth.user.id, type: 'totp' },
      {
        name: parsed.data.name ?? 'Authenticator app',
        config: createTotpConfig(context.secrets, auth.user.id, enrollment.secret, step),
      },
    );
  });

  function openEnrollment(token: string, userId: number) {
    const expired = new ValidationError('The enrollment expired: start adding the app again');
    let enrollment: z.infer<typeof enrollmentSchema>;
    try {
      enrollment = enrollmentSchema.parse(
        JSON.parse(context.secrets.open(token, enrollmentContext(userId))),
      );
    } catch {
      // A token of another user, a rotated key or a tampered value: the enrollment starts over.
      throw expired;
    }
    if (enrollment.expiresAt < Date.now()) {
      throw expired;
    }
    return enrollment;
  }

  app.post('/api/0/users/me/authenticators/webauthn/options/', async (request, reply) => {
    const auth = requireRecentAuth(request);
    const existing = (await authenticators.list(auth.user.id))
      .filter((authenticator) => authenticator.type === 'webauthn')
      .map(parseWebAuthnConfig);
    return createRegistrationOptions(store, reply, {
      rp: relyingPartyOf(request, context.publicUrl),
      sessionIdHash: auth.sessionIdHash,
      user: auth.user,
      existing,
    });
  });

  app.post('/api/0/users/me/authenticators/webauthn/', async (request, reply) => {
    const auth = requireRecentAuth(request);
    const parsed = securityKeySchema.safeParse(request.body);
    if (!parsed.success) {
      throw new ValidationError('Send {"response": <navigator.credentials.create() JSON>}');
    }

    const config = await verifyRegistration(store, request, reply, {
      rp: relyingPartyOf(request, context.publicUrl),
      sessionIdHash: auth.sessionIdHash,
      response: parsed.data.response as RegistrationResponseJSON,
    });
    return addFactor(
      request,
      reply,
      { ...auth, userId: auth.user.id, type: 'webauthn' },
      {
        name: parsed.data.name ?? 'Security key',
        config: JSON.stringify(config),
      },
    );
  });

  app.delete('/api/0/users/me/authenticators/:id/', async (request, reply) => {
    const auth = requireRecentAuth(request);
    const params = idParamsSchema.safeParse(request.params);
    const authenticator = params.success
      ? await authenticators.find(auth.user.id, Number(params.data.id))
      : undefined;

    if (authenticator === undefined) {
      throw new NotFoundError('Authenticator not found');
    }

    await authenticators.delete(auth.user.id, authenticator.id);
    const remaining = await authenticators.list(auth.user.id);
    if (remaining.length === 0) {
      await authenticators.deleteRecoveryCodes(auth.user.id);
    }
    await restartSessions(context, request, reply, {
      userId: auth.user.id,
      sessionIdHash: auth.sessionIdHash,
    });
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.2fa-disable',
      targetType: 'authenticator',
      targetId: authenticator.id,
      data: { type: authenticator.type, name: authenticator.name },
    });
    return reply.status(204).send();
  });

  app.post('/api/0/users/me/recovery-codes/', async (request) => {
    const auth = requireRecentAuth(request);

    if ((await authenticators.list(auth.user.id)).length === 0) {
      throw new ValidationError('Recovery codes need a second factor: add one first');
    }

    const codes = createRecoveryCodes();
    await authenticators.replaceRecoveryCodes(auth.user.id, codes);
    await recordAudit(context.db, request, {
      organizationId: null,
      event: 'user.recovery-codes-regenerate',
      targetType: 'user',
      targetId: auth.user.id,
    });
    return { codes };
  });
}
