import type { FastifyInstance, FastifyRequest } from 'fastify';
import { z } from 'zod';

import type { TeamMember } from '../../../shared/api/members.js';
import { AppError, NotFoundError } from '../../platform/errors.js';
import { recordAudit } from '../audit/index.js';
import {
  isValidSlug,
  resolveOrganization,
  resolveProject,
  type OrganizationAccess,
} from './access.js';
import { loadMemberOrInvite, loadTeam, parseBody, type MemberContext } from './member-context.js';
import type { MemberRecord } from './member-repository.js';
import { serializeMember } from './member-serializers.js';
import type { TeamRecord } from './organization-repository.js';
import { listAccessibleProjects } from './project-access.js';
import { TEAM_ROLES, isTeamRole } from './roles.js';
import { serializeProject, serializeTeam } from './serializers.js';
import { requireTeamManager, tokenAllows } from './team-access.js';

const teamUpdateSchema = z.strictObject({
  name: z.string().trim().min(1).max(64).optional(),
  slug: z
    .string()
    .trim()
    .refine(isValidSlug, 'Enter a valid slug: lower-case letters, digits, - and _')
    .optional(),
});

const teamRoleSchema = z.strictObject({ teamRole: z.enum(TEAM_ROLES) });

type TeamParams = { org: string; team: string };
type MemberTeamParams = { org: string; memberId: string; team: string };
type ProjectTeamParams = { org: string; project: string; team: string };

function isUniqueViolation(error: unknown): boolean {
  const message = error instanceof Error ? error.message : '';
  const code = (error as { code?: string }).code;
  return code === '23505' || /UNIQUE constraint failed/.test(message);
}

/**
 * Team details, team members, joining and leaving teams, team roles and the teams of a
 * project. A team admin manages its own team's members and projects; otherwise the
 * organization role's team scopes decide.
 */
export function registerTeamRoutes(app: FastifyInstance, context: MemberContext): void {
  const { organizations, members } = context;

  const resolveTeam = async (request: FastifyRequest, params: TeamParams) => {
    const access = await resolveOrganization(request, organizations, params.org, 'team:read');
    return { access, team: await loadTeam(organizations, access, params.team) };
  };

  app.get<{ Params: TeamParams }>('/api/0/teams/:org/:team/', async (request) => {
    const { access, team } = await resolveTeam(request, request.params);
    const teamRole = await members.findTeamRole(team.id, access.memberId);
    return {
      ...serializeTeam(team, {
        memberCount: await organizations.countTeamMembers(team.id),
        isMember: teamRole !== undefined,
      }),
      teamRole: teamRole ?? null,
    };
  });

  app.put<{ Params: TeamParams }>('/api/0/teams/:org/:team/', async (request) => {
    const { access, team } = await resolveTeam(request, request.params);
    await requireTeamManager(request, members, access, team, 'team:write');
    const change = parseBody(teamUpdateSchema, request.body, 'team update');

    let updated: TeamRecord;
    try {
      updated = await organizations.updateTeam(team.id, change);
    } catch (error) {
      if (isUniqueViolation(error)) {
        throw new AppError(
          409,
          'conflict',
          `A team with the slug "${change.slug ?? ''}" already exists`,
        );
      }
      throw error;
    }
    await recordAudit(context.db, request, {
      organizationId: access.organization.id,
      event: 'team.edit',
      targetType: 'team',
      targetId: team.id,
      data: {
        before: { name: team.name, slug: team.slug },
        after: { name: updated.name, slug: updated.slug },
      },
    });
    return serializeTeam(updated, { memberCount: await organizations.countTeamMembers(team.id) });
  });

  app.delete<{ Params: TeamParams }>('/api/0/teams/:org/:team/', async (request, reply) => {
    const { access, team } = await resolveTeam(request, request.params);
    await requireTeamManager(request, members, access, team, 'team:admin');
    await organizations.deleteTeam(team.id);
    await recordAudit(context.db, request, {
      organizationId: access.organization.id,
      event: 'team.remove',
      targetType: 'team',
      targetId: team.id,
      data: { slug: team.slug, name: team.name },
    });
    return reply.status(204).send();
  });

  app.get<{ Params: TeamParams }>(
    '/api/0/teams/:org/:team/members/',
    async (request): Promise<TeamMember[]> => {
      const { access, team } = await resolveTeam(request, request.params);
      const [rows, memberships] = await Promise.all([
        members.listMembers(access.organization.id),
        members.listTeamMemberships(access.organization.id),
      ]);
      const inTeam = memberships.filter((membership) => membership.teamId === team.id);
      return rows
        .filter((row) => inTeam.some((membership) => membership.memberId === row.id))
        .map((row) => {
          const role = inTeam.find((membership) => membership.memberId === row.id)?.role ?? '';
          return {
            ...serializeMember(row, memberships),
            teamRole: isTeamRole(role) ? role : 'contributor',
          };
        });
    },
  );

  app.get<{ Params: TeamParams }>('/api/0/teams/:org/:team/projects/', async (request) => {
    const { access, team } = await resolveTeam(request, request.params);
    const visible = new Set(
      (await listAccessibleProjects(organizations, access)).map((project) => project.id),
    );
    const projects = (await organizations.listTeamProjects(team.id)).filter((project) =>
      visible.has(project.id),
    );
    return projects.map((project) => serializeProject(project, access.organization, [team]));
  });

  registerMemberTeamRoutes(app, context);
  registerProjectTeamRoutes(app, context);
}

/** `POST`, `PUT` and `DELETE /api/0/organizations/{org}/members/{id}/teams/{team}/`. */
function registerMemberTeamRoutes(app: FastifyInstance, context: MemberContext): void {
  const { organizations, members } = context;
  const path = '/api/0/organizations/:org/members/:memberId/teams/:team/';

  const resolveMemberTeam = async (request: FastifyRequest, params: MemberTeamParams) => {
    const access = await resolveOrganization(request, organizations, params.org, 'team:read');
    const target = await loadMemberOrInvite(context, access, params.memberId);
    if (target.kind !== 'member') {
      throw new NotFoundError('Member not found');
    }
    const team = await loadTeam(organizations, access, params.team);
    return { access, member: target.member, team };
  };

  app.post<{ Params: MemberTeamParams }>(path, async (request, reply) => {
    const { access, member, team } = await resolveMemberTeam(request, request.params);
    await requireJoinLeave(request, context, access, member, team, 'join');

    const added = await members.addToTeam(team.id, member.id);
    if (!added) {
      return reply.status(204).send();
    }
    await recordTeamChange(context, request, access, member, team, 'member.join-team');
    return reply
      .status(201)
      .send(serializeTeam(team, { memberCount: await organizations.countTeamMembers(team.id) }));
  });

  app.delete<{ Params: MemberTeamParams }>(path, async (request) => {
    const { access, member, team } = await resolveMemberTeam(request, request.params);
    await requireJoinLeave(request, context, access, member, team, 'leave');

    const removed = await members.removeFromTeam(team.id, member.id);
    if (removed) {
      await recordTeamChange(context, request, access, member, team, 'member.leave-team');
    }
    return serializeTeam(team, {
      memberCount: await organizations.countTeamMembers(team.id),
      isMember: false,
    });
  });

  app.put<{ Params: MemberTeamParams }>(path, async (request) => {
    const { access, member, team } = await resolveMemberTeam(request, request.params);
    await requireTeamManager(request, members, access, team, 'team:admin');
    const { teamRole } = parseBody(teamRoleSchema, request.body, 'team role');

    const before = await members.findTeamRole(team.id, member.id);
    if (before === undefined) {
      throw new NotFoundError(`Member is not in the team ${team.slug}`);
    }
    await members.setTeamRole(team.id, member.id, teamRole);
    await recordAudit(context.db, request, {
      organizationId: access.organization.id,
      event: 'member.edit',
      targetType: 'member',
      targetId: member.id,
      data: {
        email: member.email,
        team: team.slug,
        before: { teamRole: before },
        after: { teamRole },
      },
    });
    return { ...serializeTeam(team), teamRole };
  });
}

/**
 * Checks a join or leave. Members join and leave any team themselves while open membership is
 * on, and may always leave. Moving anyone else, or joining while membership is closed, needs
 * `team:write` or the team's admin role.
 */
async function requireJoinLeave(
  request: FastifyRequest,
  context: MemberContext,
  access: OrganizationAccess,
  member: MemberRecord,
  team: TeamRecord,
  action: 'join' | 'leave',
): Promise<void> {
  const isSelf = member.id === access.memberId;
  const selfAllowed = action === 'leave' || access.organization.openMembership !== 0;
  if (isSelf && selfAllowed && tokenAllows(request, 'team:write')) {
    return;
  }
  await requireTeamManager(request, context.members, access, team, 'team:write');
}

async function recordTeamChange(
  context: MemberContext,
  request: FastifyRequest,
  access: OrganizationAccess,
  member: MemberRecord,
  team: TeamRecord,
  event: 'member.join-team' | 'member.leave-team',
): Promise<void> {
  await recordAudit(context.db, request, {
    organizationId: access.organization.id,
    event,
    targetType: 'member',
    targetId: member.id,
    data: { email: member.email, team: team.slug },
  });
}

/** `POST` and `DELETE /api/0/projects/{org}/{project}/teams/{team}/`. */
function registerProjectTeamRoutes(app: FastifyInstance, context: MemberContext): void {
  const { organizations, members } = context;
  const path = '/api/0/projects/:org/:project/teams/:team/';

  const resolveProjectTeam = async (request: FastifyRequest, params: ProjectTeamParams) => {
    const { access, project } = await resolveProject(
      request,
      organizations,
      params,
      'project:read',
    );
    const team = await loadTeam(organizations, access, params.team);
    await requireTeamManager(request, members, access, team, 'project:write');
    return { access, project, team };
  };

  app.post<{ Params: ProjectTeamParams }>(path, async (request, reply) => {
    const { access, project, team } = await resolveProjectTeam(request, request.params);
    const added = await organizations.addProjectTeam(project.id, team.id);
    if (added) {
      await recordAudit(context.db, request, {
        organizationId: access.organization.id,
        event: 'project-team.add',
        targetType: 'project',
        targetId: project.id,
        data: { project: project.slug, team: team.slug },
      });
    }
    const teams = await organizations.listProjectTeams(project.id);
    return reply.status(201).send(serializeProject(project, access.organization, teams));
  });

  app.delete<{ Params: ProjectTeamParams }>(path, async (request) => {
    const { access, project, team } = await resolveProjectTeam(request, request.params);
    const removed = await organizations.removeProjectTeam(project.id, team.id);
    if (removed) {
      await recordAudit(context.db, request, {
        organizationId: access.organization.id,
        event: 'project-team.remove',
        targetType: 'project',
        targetId: project.id,
        data: { project: project.slug, team: team.slug },
      });
    }
    const teams = await organizations.listProjectTeams(project.id);
    return serializeProject(project, access.organization, teams);
  });
}
