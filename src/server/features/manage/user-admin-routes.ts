import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import { z } from 'zod';

import type { InstanceUser } from '../../../shared/api/members.js';
import type { Database } from '../../platform/db/index.js';
import { AppError, AuthError, NotFoundError, ValidationError } from '../../platform/errors.js';
import type { AccountRepository } from '../accounts/account-repository.js';
import { MIN_PASSWORD_LENGTH, hashPassword } from '../accounts/passwords.js';
import { requireAuth, type RequestAuth } from '../accounts/request-auth.js';
import { recordAudit } from '../audit/index.js';
import { UserAdminRepository, type InstanceUserRecord } from './user-admin-repository.js';

export interface UserAdminRoutesOptions {
  db: Kysely<Database>;
  accounts: AccountRepository;
}

const createSchema = z.strictObject({
  email: z.email().max(320),
  name: z.string().trim().max(200).optional(),
  password: z.string().min(MIN_PASSWORD_LENGTH).max(1024),
  isSuperuser: z.boolean().optional(),
});

const updateSchema = z.strictObject({
  isActive: z.boolean().optional(),
  isSuperuser: z.boolean().optional(),
});

function serializeUser(user: InstanceUserRecord): InstanceUser {
  return {
    id: String(user.id),
    email: user.email,
    name: user.name,
    isActive: user.isActive === 1,
    isSuperuser: user.isSuperuser === 1,
    dateJoined: new Date(user.createdAt).toISOString(),
    lastLogin: user.lastLoginAt === null ? null : new Date(user.lastLoginAt).toISOString(),
  };
}

/**
 * Checks that the caller is a superuser logged in with a session. API tokens cannot administer
 * the instance, whoever holds them.
 * @throws AuthError 401 without credentials, 403 for anyone else.
 */
function requireSuperuser(request: FastifyRequest): RequestAuth {
  const auth = requireAuth(request);
  if (auth.user.isSuperuser !== 1 || auth.via !== 'session') {
    throw new AuthError(403, 'Only superusers, logged in with a session, can manage users');
  }
  return auth;
}

function parse<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ValidationError(
      `Invalid ${what}: ${issue?.path.join('.') ?? 'body'}: ${issue?.message ?? ''}`,
    );
  }
  return parsed.data;
}

/**
 * Registers the superuser's user administration: `GET`/`POST /api/0/users/` and
 * `PUT /api/0/users/{id}/` (deactivate, reactivate, grant or revoke superuser). A superuser
 * gets no access to organizations through this; membership still decides that.
 */
export function registerUserAdminRoutes(
  app: FastifyInstance,
  options: UserAdminRoutesOptions,
): void {
  const users = new UserAdminRepository(options.db);

  app.get('/api/0/users/', async (request) => {
    requireSuperuser(request);
    return (await users.listUsers()).map(serializeUser);
  });

  app.post('/api/0/users/', async (request, reply) => {
    requireSuperuser(request);
    const input = parse(createSchema, request.body, 'user');
    const email = input.email.trim().toLowerCase();
    if ((await options.accounts.findUserByEmail(email)) !== undefined) {
      throw new AppError(409, 'conflict', `A user with the e-mail ${email} already exists`);
    }

    const created = await options.accounts.createUser({
      email,
      name: input.name === undefined || input.name === '' ? email : input.name,
      passwordHash: await hashPassword(input.password),
      isSuperuser: input.isSuperuser ?? false,
    });
    await recordAudit(options.db, request, {
      organizationId: null,
      event: 'user.create',
      targetType: 'user',
      targetId: created.id,
      data: { email, isSuperuser: created.isSuperuser === 1 },
    });
    const user = await users.findUser(created.id);
    return reply.status(201).send(user === undefined ? undefined : serializeUser(user));
  });

  app.put<{ Params: { userId: string } }>('/api/0/users/:userId/', async (request) => {
    const auth = requireSuperuser(request);
    const id = /^\d{1,15}$/.test(request.params.userId) ? Number(request.params.userId) : 0;
    const user = id === 0 ? undefined : await users.findUser(id);
    if (user === undefined) {
      throw new NotFoundError('User not found');
    }
    const input = parse(updateSchema, request.body, 'user update');
    if (user.id === auth.user.id) {
      throw new AuthError(
        403,
        'You cannot deactivate yourself or change your own superuser status',
      );
    }

    if (input.isActive !== undefined && input.isActive !== (user.isActive === 1)) {
      await users.setActive(user.id, input.isActive);
      await recordAudit(options.db, request, {
        organizationId: null,
        event: input.isActive ? 'user.reactivate' : 'user.deactivate',
        targetType: 'user',
        targetId: user.id,
        data: { email: user.email },
      });
    }
    if (input.isSuperuser !== undefined && input.isSuperuser !== (user.isSuperuser === 1)) {
      await users.setSuperuser(user.id, input.isSuperuser);
      await recordAudit(options.db, request, {
        organizationId: null,
        event: input.isSuperuser ? 'user.superuser-grant' : 'user.superuser-revoke',
        targetType: 'user',
        targetId: user.id,
        data: { email: user.email },
      });
    }

    const updated = await users.findUser(user.id);
    if (updated === undefined) {
      throw new NotFoundError('User not found');
    }
    return serializeUser(updated);
  });
}
