import type { FastifyInstance } from 'fastify';
import { z } from 'zod';

import { AppError, AuthError, ValidationError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import { isReservedOrganizationSlug, isValidSlug, resolveOrganization } from './access.js';
import { parseBody, type MemberContext } from './member-context.js';
import type { OrganizationRecord } from './organization-repository.js';
import { ORG_ROLES, roleRank } from './roles.js';
import { serializeOrganization } from './serializers.js';
import { userHasTwoFactor } from './two-factor-status.js';

const settingsSchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  slug: z
    .string()
    .trim()
    .refine(isValidSlug, 'Enter a valid slug: lower-case letters, digits, - and _')
    .refine((slug) => !isReservedOrganizationSlug(slug), "This slug is used by Picket's own pages")
    .optional(),
  openMembership: z.boolean().optional(),
  defaultRole: z.enum(ORG_ROLES).optional(),
  require2FA: z.boolean().optional(),
});

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: string }).code;
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}

function settingsOf(organization: OrganizationRecord) {
  return {
    name: organization.name,
    slug: organization.slug,
    openMembership: organization.openMembership !== 0,
    defaultRole: organization.defaultRole,
    require2FA: organization.requireTwoFactor === 1,
  };
}

/**
 * `PUT /api/0/organizations/{org}/` changes the organization's settings (`org:write`:
 * managers and owners) and `DELETE` removes it with all its data (`org:admin`: owners).
 */
export function registerOrganizationSettingsRoutes(
  app: FastifyInstance,
  context: MemberContext,
): void {
  const { organizations } = context;

  app.put<{ Params: { org: string } }>('/api/0/organizations/:org/', async (request) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'org:write',
    );
    const input = parseBody(settingsSchema, request.body, 'organization settings');
    if (input.defaultRole !== undefined && roleRank(input.defaultRole) > roleRank(access.role)) {
      throw new AuthError(
        403,
        `You cannot make ${input.defaultRole}, a role above your own, the default`,
      );
    }
    const enablesTwoFactor =
      input.require2FA === true && access.organization.requireTwoFactor !== 1;
    if (enablesTwoFactor && !(await userHasTwoFactor(context.db, access.userId))) {
      throw new ValidationError(
        'Set up two-factor authentication for your own account before requiring it for the organization',
        { require2FA: ['Enable two-factor authentication on your account first.'] },
      );
    }

    const change = {
      ...(input.name === undefined ? {} : { name: input.name }),
      ...(input.slug === undefined ? {} : { slug: input.slug }),
      ...(input.openMembership === undefined
        ? {}
        : { openMembership: input.openMembership ? 1 : 0 }),
      ...(input.defaultRole === undefined ? {} : { defaultRole: input.defaultRole }),
      ...(input.require2FA === undefined ? {} : { requireTwoFactor: input.require2FA ? 1 : 0 }),
    };
    let updated: OrganizationRecord;
    try {
      updated = await organizations.updateOrganization(access.organization.id, change);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(
          409,
          'conflict',
          `An organization with the slug "${input.slug ?? ''}" already exists`,
        );
      }
      throw error;
    }

    const before = settingsOf(access.organization);
    const after = settingsOf(updated);
    const changed = (Object.keys(after) as (keyof typeof after)[]).filter(
      (key) => before[key] !== after[key],
    );
    if (changed.length > 0) {
      await recordAudit(context.db, request, {
        organizationId: updated.id,
        event: 'org.edit',
        targetType: 'organization',
        targetId: updated.id,
        data: {
          before: Object.fromEntries(changed.map((key) => [key, before[key]])),
          after: Object.fromEntries(changed.map((key) => [key, after[key]])),
        },
      });
    }
    return serializeOrganization(updated, access.role);
  });

  app.delete<{ Params: { org: string } }>('/api/0/organizations/:org/', async (request, reply) => {
    const access = await resolveOrganization(
      request,
      organizations,
      request.params.org,
      'org:admin',
    );
    // The audit row is written first: it has no foreign key, so it outlives the organization.
    await recordAudit(context.db, request, {
      organizationId: access.organization.id,
      event: 'org.remove',
      targetType: 'organization',
      targetId: access.organization.id,
      data: { slug: access.organization.slug, name: access.organization.name },
    });
    await organizations.deleteOrganization(access.organization.id);
    request.log.info({ organizationId: access.organization.id }, 'organization deleted');
    return reply.status(204).send();
  });
}
