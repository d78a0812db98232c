import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';

export interface MemberRecord {
  id: number;
  organizationId: number;
  userId: number;
  role: string;
  createdAt: number;
  name: string;
  email: string;
  isActive: number;
}

export interface InviteRecord {
  id: number;
  organizationId: number;
  email: string;
  role: string;
  /** JSON array of team ids. */
  teamIds: string;
  tokenHash: string;
  inviterId: number | null;
  createdAt: number;
  expiresAt: number;
}

export interface TeamMembershipRecord {
  teamId: number;
  teamSlug: string;
  memberId: number;
  role: string;
}

const MEMBER_COLUMNS = [
  'organizationMembers.id',
  'organizationMembers.organizationId',
  'organizationMembers.userId',
  'organizationMembers.role',
  'organizationMembers.createdAt',
  'users.name',
  'users.email',
  'users.isActive',
] as const;

/** Queries for organization members, their teams and pending invitations. */
export class MemberRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  listMembers(organizationId: number): Promise<MemberRecord[]> {
    return this.#db
      .selectFrom('organizationMembers')
      .innerJoin('users', 'users.id', 'organizationMembers.userId')
      .select(MEMBER_COLUMNS)
      .where('organizationMembers.organizationId', '=', organizationId)
      .orderBy('users.email')
      .execute();
  }

  findMember(organizationId: number, memberId: number): Promise<MemberRecord | undefined> {
    return this.#db
      .selectFrom('organizationMembers')
      .innerJoin('users', 'users.id', 'organizationMembers.userId')
      .select(MEMBER_COLUMNS)
      .where('organizationMembers.organizationId', '=', organizationId)
      .where('organizationMembers.id', '=', memberId)
      .executeTakeFirst();
  }

  findMemberByEmail(organizationId: number, email: string): Promise<MemberRecord | undefined> {
    return this.#db
      .selectFrom('organizationMembers')
      .innerJoin('users', 'users.id', 'organizationMembers.userId')
      .select(MEMBER_COLUMNS)
      .where('organizationMembers.organizationId', '=', organizationId)
      .where('users.email', '=', email.toLowerCase())
      .executeTakeFirst();
  }

  async countOwners(organizationId: number): Promise<number> {
    const row = await this.#db
      .selectFrom('organizationMembers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('organizationId', '=', organizationId)
      .where('role', '=', 'owner')
      .executeTakeFirstOrThrow();
    return Number(row.count);
  }

  async updateRole(memberId: number, role: string): Promise<void> {
    await this.#db
      .updateTable('organizationMembers')
      .set({ role })
      .where('id', '=', memberId)
      .execute();
  }

  /** Deletes a member and its team memberships (the foreign key cascades). */
  async deleteMember(memberId: number): Promise<void> {
    await this.#db.deleteFrom('organizationMembers').where('id', '=', memberId).execute();
  }

  /** Team memberships of the organization's members, for listing. */
  listTeamMemberships(organizationId: number): Promise<TeamMembershipRecord[]> {
    return this.#db
      .selectFrom('teamMembers')
      .innerJoin('teams', 'teams.id', 'teamMembers.teamId')
      .select([
        'teamMembers.teamId',
        'teams.slug as teamSlug',
        'teamMembers.memberId',
        'teamMembers.role',
      ])
      .where('teams.organizationId', '=', organizationId)
      .orderBy('teams.slug')
      .execute();
  }

  async findTeamRole(teamId: number, memberId: number): Promise<string | undefined> {
    const row = await this.#db
      .selectFrom('teamMembers')
      .select('role')
      .where('teamId', '=', teamId)
      .where('memberId', '=', memberId)
      .executeTakeFirst();
    return row?.role;
  }

  /** Adds a member to a team; returns false when it was in the team already. */
  async addToTeam(teamId: number, memberId: number, role = 'contributor'): Promise<boolean> {
    if ((await this.findTeamRole(teamId, memberId)) !== undefined) {
      return false;
    }
    await this.#db.insertInto('teamMembers').values({ teamId, memberId, role }).execute();
    return true;
  }

  /** Removes a member from a team; returns false when it was not in the team. */
  async removeFromTeam(teamId: number, memberId: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('teamMembers')
      .where('teamId', '=', teamId)
      .where('memberId', '=', memberId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  async setTeamRole(teamId: number, memberId: number, role: string): Promise<void> {
    await this.#db
      .updateTable('teamMembers')
      .set({ role })
      .where('teamId', '=', teamId)
      .where('memberId', '=', memberId)
      .execute();
  }

  /** Replaces a member's teams with `teams` (team id and role each), in one transaction. */
  async replaceTeams(memberId: number, teams: { teamId: number; role: string }[]): Promise<void> {
    await this.#db.transaction().execute(async (trx) => {
      await trx.deleteFrom('teamMembers').where('memberId', '=', memberId).execute();
      if (teams.length > 0) {
        await trx
          .insertInto('teamMembers')
          .values(teams.map((team) => ({ teamId: team.teamId, memberId, role: team.role })))
          .execute();
      }
    });
  }

  listInvites(organizationId: number): Promise<InviteRecord[]> {
    return this.#db
      .selectFrom('organizationInvites')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .orderBy('email')
      .execute();
  }

  findInvite(organizationId: number, inviteId: number): Promise<InviteRecord | undefined> {
    return this.#db
      .selectFrom('organizationInvites')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .where('id', '=', inviteId)
      .executeTakeFirst();
  }

  /** Finds an invitation by id alone, for the accept page, which has no organization yet. */
  findInviteById(inviteId: number): Promise<InviteRecord | undefined> {
    return this.#db
      .selectFrom('organizationInvites')
      .selectAll()
      .where('id', '=', inviteId)
      .executeTakeFirst();
  }

  createInvite(input: Omit<InviteRecord, 'id'>): Promise<InviteRecord> {
    return this.#db
      .insertInto('organizationInvites')
      .values(input)
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  async updateInvite(
    inviteId: number,
    change: { role?: string; teamIds?: string; tokenHash?: string; expiresAt?: number },
  ): Promise<void> {
    await this.#db
      .updateTable('organizationInvites')
      .set(change)
      .where('id', '=', inviteId)
      .execute();
  }

  async deleteInvite(inviteId: number): Promise<void> {
    await this.#db.deleteFrom('organizationInvites').where('id', '=', inviteId).execute();
  }

  /**
   * Spends an invitation: deletes the row with this id and token hash and, in the same
   * transaction, adds the user as a member with the invitation's role and teams. Returns the new
   * member id, or undefined when the row was already gone (a second use or a concurrent one).
   */
  async acceptInvite(invite: InviteRecord, userId: number): Promise<number | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const deleted = await trx
        .deleteFrom('organizationInvites')
        .where('id', '=', invite.id)
        .where('tokenHash', '=', invite.tokenHash)
        .executeTakeFirst();
      if (Number(deleted.numDeletedRows) !== 1) {
        return undefined;
      }

      const existing = await trx
        .selectFrom('organizationMembers')
        .select('id')
        .where('organizationId', '=', invite.organizationId)
        .where('userId', '=', userId)
        .executeTakeFirst();
      const memberId =
        existing?.id ??
        (
          await trx
            .insertInto('organizationMembers')
            .values({
              organizationId: invite.organizationId,
              userId,
              role: invite.role,
              createdAt: Date.now(),
            })
            .returning('id')
            .executeTakeFirstOrThrow()
        ).id;

      const teamIds = parseTeamIds(invite.teamIds);
      const teams =
        teamIds.length === 0
          ? []
          : await trx
              .selectFrom('teams')
              .select('id')
              .where('organizationId', '=', invite.organizationId)
              .where('id', 'in', teamIds)
              .execute();
      for (const team of teams) {
        const inTeam = await trx
          .selectFrom('teamMembers')
          .select('memberId')
          .where('teamId', '=', team.id)
          .where('memberId', '=', memberId)
          .executeTakeFirst();
        if (inTeam === undefined) {
          await trx.insertInto('teamMembers').values({ teamId: team.id, memberId }).execute();
        }
      }
      return memberId;
    });
  }
}

/** Reads the JSON team id list of an invitation; anything malformed counts as no teams. */
export function parseTeamIds(json: string): number[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? value.filter((id): id is number => Number.isInteger(id)) : [];
  } catch {
    return [];
  }
}
