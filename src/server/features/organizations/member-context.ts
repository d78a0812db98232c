import type { FastifyRequest } from 'fastify';
import type { Kysely } from 'kysely';
import type { z } from 'zod';

import type { Database } from '../../platform/db/index.js';
import { NotFoundError, ValidationError } from '../../platform/errors.js';
import type { Mailer } from '../../platform/mail/mailer.js';
import { requestOrigin } from '../../platform/http/pagination.js';
import type { AccountRepository } from '../accounts/account-repository.js';
import type { OrganizationAccess } from './access.js';
import { parseInviteId } from './invites.js';
import type { InviteRecord, MemberRecord, MemberRepository } from './member-repository.js';
import type { OrganizationRepository, TeamRecord } from './organization-repository.js';

/** Dependencies that the member, invitation, team and settings routes share. */
export interface MemberContext {
  db: Kysely<Database>;
  organizations: OrganizationRepository;
  members: MemberRepository;
  accounts: AccountRepository;
  /** Public base URL of links (`PICKET_URL`); the request's origin when unset. */
  publicUrl: string | undefined;
  /** Undefined when SMTP is not configured: invitations are then shared as links only. */
  mailer: Mailer | undefined;
}

export function baseUrlOf(context: MemberContext, request: FastifyRequest): string {
  return context.publicUrl ?? requestOrigin(request);
}

/**
 * Parses a body with a zod schema.
 * @throws ValidationError naming the first invalid field, with every problem in `fields`.
 */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, what: string): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) {
    return parsed.data;
  }
  const fields: Record<string, string[]> = {};
  for (const issue of parsed.error.issues) {
    const key =
      issue.code === 'unrecognized_keys'
        ? issue.keys.join(', ')
        : issue.path.join('.') || 'non_field_errors';
    (fields[key] ??= []).push(issue.message);
  }
  const [firstKey, firstProblems] = Object.entries(fields)[0] ?? ['body', []];
  throw new ValidationError(`Invalid ${what}: ${firstKey}: ${firstProblems[0] ?? ''}`, fields);
}

export type MemberOrInvite =
  { kind: 'member'; member: MemberRecord } | { kind: 'invite'; invite: InviteRecord };

/**
 * Loads a member (numeric id, or `me` for the caller) or a pending invitation (`i` and its id)
 * of the caller's organization.
 * @throws NotFoundError for ids of other organizations and for anything else.
 */
export async function loadMemberOrInvite(
  context: MemberContext,
  access: OrganizationAccess,
  id: string,
): Promise<MemberOrInvite> {
  const inviteId = parseInviteId(id);
  if (inviteId !== undefined) {
    const invite = await context.members.findInvite(access.organization.id, inviteId);
    if (invite === undefined) {
      throw new NotFoundError('Member not found');
    }
    return { kind: 'invite', invite };
  }

  const memberId = id === 'me' ? access.memberId : /^\d{1,15}$/.test(id) ? Number(id) : 0;
  const member =
    memberId === 0 ? undefined : await context.members.findMember(access.organization.id, memberId);
  if (member === undefined) {
    throw new NotFoundError('Member not found');
  }
  return { kind: 'member', member };
}

/**
 * Looks up teams of the organization by slug.
 * @throws ValidationError naming the first slug that is not a team of the organization.
 */
export async function findTeamsBySlug(
  organizations: OrganizationRepository,
  organizationId: number,
  slugs: readonly string[],
): Promise<TeamRecord[]> {
  const teams = await organizations.listTeams(organizationId);
  return [...new Set(slugs)].map((slug) => {
    const team = teams.find((candidate) => candidate.slug === slug);
    if (team === undefined) {
      throw new ValidationError(`Invalid team ${JSON.stringify(slug)}: no such team`, {
        teams: [`No team with the slug ${slug}`],
      });
    }
    return team;
  });
}

/** Loads a team of the caller's organization. @throws NotFoundError when there is none. */
export async function loadTeam(
  organizations: OrganizationRepository,
  access: OrganizationAccess,
  slug: string,
): Promise<TeamRecord> {
  const team = await organizations.findTeam(access.organization.id, slug);
  if (team === undefined) {
    throw new NotFoundError('Team not found');
  }
  return team;
}
