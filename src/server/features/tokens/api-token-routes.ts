import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { CreatedApiToken } from '../../../shared/api/tokens.js';
import type { Database } from '../../platform/db/index.js';
import { NotFoundError } from '../../platform/errors.js';
import { SCOPES } from '../accounts/scopes.js';
import { createApiTokenValue, hashSecret } from '../accounts/secrets.js';
import { recordAudit } from '../audit/index.js';
import { parseBody } from '../rate-limits/index.js';
import { serializeApiToken } from './serializers.js';
import { requireSession } from './session-only.js';
import { TokenRepository } from './token-repository.js';

export interface ApiTokenRoutesOptions {
  db: Kysely<Database>;
}

/** Token ids are database ids; anything else cannot name a token. */
export const tokenIdSchema = z.union([
  z
    .string()
    .regex(/^\d{1,15}$/, 'must be a token id')
    .transform(Number),
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
]);

const createSchema = z.object({
  name: z.string().trim().min(1).max(255),
  scopes: z
    .array(z.enum(SCOPES))
    .min(1, 'must contain at least one scope')
    .max(SCOPES.length)
    .transform((scopes) => [...new Set(scopes)]),
  expiresAt: z.iso
    .datetime({ offset: true })
    .nullish()
    .transform((value) => (value === undefined || value === null ? null : Date.parse(value)))
    .refine((value) => value === null || value > Date.now(), 'must be in the future'),
});

const deleteSchema = z.object({ tokenId: tokenIdSchema });

/**
 * Registers Sentry's personal token routes: `GET`, `POST` and `DELETE /api/0/api-tokens/`, plus
 * `GET` and `DELETE /api/0/api-tokens/{id}/`. They accept only login sessions, never a token.
 * A new token's value is returned once, in the POST response; later reads show its last four
 * characters. Scopes are checked against Sentry's list only: the user's role in each
 * organization still caps what the token can do there.
 */
export function registerApiTokenRoutes(app: FastifyInstance, options: ApiTokenRoutesOptions) {
  const tokens = new TokenRepository(options.db);

  app.get('/api/0/api-tokens/', async (request, reply) => {
    const auth = requireSession(request);
    const list = await tokens.listUserTokens(auth.user.id);
    return reply.header('Cache-Control', 'no-store').send(list.map(serializeApiToken));
  });

  app.post('/api/0/api-tokens/', async (request, reply) => {
    const auth = requireSession(request);
    const input = parseBody(createSchema, request.body);
    const value = createApiTokenValue();
    const token = await tokens.create({
      userId: auth.user.id,
      name: input.name,
      tokenHash: hashSecret(value),
      tokenLastCharacters: value.slice(-4),
      scopes: input.scopes,
      expiresAt: input.expiresAt,
      organizationId: null,
      kind: 'user',
    });
    await recordAudit(options.db, request, {
      organizationId: null,
      event: 'api-key.create',
      targetType: 'api_token',
      targetId: token.id,
      data: {
        name: token.name,
        scopes: input.scopes,
        expiresAt: input.expiresAt === null ? null : new Date(input.expiresAt).toISOString(),
      },
    });
    const body: CreatedApiToken = { ...serializeApiToken(token), token: value };
    return reply.status(201).header('Cache-Control', 'no-store').send(body);
  });

  const remove = async (request: FastifyRequest, tokenId: number) => {
    const auth = requireSession(request);
    const token = await tokens.findUserToken(auth.user.id, tokenId);
    if (token === undefined || !(await tokens.deleteUserToken(auth.user.id, tokenId))) {
      throw new NotFoundError('Token not found');
    }
    await recordAudit(options.db, request, {
      organizationId: null,
      event: 'api-key.remove',
      targetType: 'api_token',
      targetId: token.id,
      data: { name: token.name, scopes: token.scopes.split(' ') },
    });
  };

  app.delete('/api/0/api-tokens/', async (request, reply) => {
    requireSession(request);
    const { tokenId } = parseBody(deleteSchema, request.body);
    await remove(request, tokenId);
    return reply.status(204).send();
  });

  app.get<{ Params: { tokenId: string } }>(
    '/api/0/api-tokens/:tokenId/',
    async (request, reply) => {
      const auth = requireSession(request);
      const id = tokenIdSchema.safeParse(request.params.tokenId);
      const token = id.success ? await tokens.findUserToken(auth.user.id, id.data) : undefined;
      if (token === undefined) {
        throw new NotFoundError('Token not found');
      }
      return reply.header('Cache-Control', 'no-store').send(serializeApiToken(token));
    },
  );

  app.delete<{ Params: { tokenId: string } }>(
    '/api/0/api-tokens/:tokenId/',
    async (request, reply) => {
      requireSession(request);
      const id = tokenIdSchema.safeParse(request.params.tokenId);
      if (!id.success) {
        throw new NotFoundError('Token not found');
      }
      await remove(request, id.data);
      return reply.status(204).send();
    },
  );
}
