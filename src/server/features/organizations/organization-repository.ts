import type { Kysely } from 'kysely';

import type { Database } from '../../platform/db/index.js';
import { randomHex } from '../accounts/secrets.js';

export interface OrganizationRecord {
  id: number;
  slug: string;
  name: string;
  createdAt: number;
  /** 1 when every member must have a second factor. */
  requireTwoFactor: number;
  /** 1 when any member may join any team and every member can access every project. */
  openMembership: number;
  /** Role preselected for new invitations. */
  defaultRole: string;
}

export interface MembershipRecord {
  organization: OrganizationRecord;
  memberId: number;
  role: string;
}

export interface TeamRecord {
  id: number;
  organizationId: number;
  slug: string;
  name: string;
  createdAt: number;
}

export interface ProjectRecord {
  id: number;
  organizationId: number;
  slug: string;
  name: string;
  platform: string | null;
  createdAt: number;
  firstEventAt: number | null;
}

export interface ProjectKeyRecord {
  id: number;
  projectId: number;
  publicKey: string;
  secretKey: string;
  label: string;
  isActive: number;
  createdAt: number;
  rateLimitCount: number | null;
  rateLimitWindow: number | null;
  /** JSON array of allowed origin patterns. */
  allowedDomains: string;
}

/** Changes to a project key; fields left undefined keep their value. */
export interface ProjectKeyChanges {
  label?: string;
  isActive?: boolean;
  /** Null clears the rate limit. */
  rateLimit?: { count: number; window: number } | null;
  allowedDomains?: string[];
}

const PROJECT_COLUMNS = [
  'projects.id',
  'projects.organizationId',
  'projects.slug',
  'projects.name',
  'projects.platform',
  'projects.createdAt',
  'projects.firstEventAt',
] as const;

/** Called inside the transaction that creates a project, to store a feature's defaults. */
export type ProjectCreatedHook = (trx: Kysely<Database>, projectId: number) => Promise<void>;

/** Queries for organizations, their members, teams, projects and project keys. */
export class OrganizationRepository {
  readonly #db: Kysely<Database>;
  readonly #onProjectCreated: readonly ProjectCreatedHook[];

  constructor(db: Kysely<Database>, options: { onProjectCreated?: ProjectCreatedHook[] } = {}) {
    this.#db = db;
    this.#onProjectCreated = options.onProjectCreated ?? [];
  }

  listForUser(userId: number): Promise<OrganizationRecord[]> {
    return this.#db
      .selectFrom('organizations')
      .innerJoin('organizationMembers', 'organizationMembers.organizationId', 'organizations.id')
      .select([
        'organizations.id',
        'organizations.slug',
        'organizations.name',
        'organizations.createdAt',
        'organizations.requireTwoFactor',
        'organizations.openMembership',
        'organizations.defaultRole',
      ])
      .where('organizationMembers.userId', '=', userId)
      .orderBy('organizations.slug')
      .execute();
  }

  listAll(): Promise<OrganizationRecord[]> {
    return this.#db.selectFrom('organizations').selectAll().orderBy('slug').execute();
  }

  findBySlugOrId(slugOrId: string): Promise<OrganizationRecord | undefined> {
    const query = this.#db.selectFrom('organizations').selectAll();
    return /^\d+$/.test(slugOrId)
      ? query.where('id', '=', Number(slugOrId)).executeTakeFirst()
      : query.where('slug', '=', slugOrId).executeTakeFirst();
  }

  async findMembership(organizationId: number, userId: number) {
    return this.#db
      .selectFrom('organizationMembers')
      .select(['id', 'role'])
      .where('organizationId', '=', organizationId)
      .where('userId', '=', userId)
      .executeTakeFirst();
  }

  /** Creates an organization with `ownerId` as owner and a first team of the same slug. */
  async createOrganization(input: { slug: string; name: string; ownerId: number }) {
    return this.#db.transaction().execute(async (trx) => {
      const now = Date.now();
      const organization = await trx
        .insertInto('organizations')
        .values({ slug: input.slug, name: input.name, createdAt: now })
        .returningAll()
        .executeTakeFirstOrThrow();
      const member = await trx
        .insertInto('organizationMembers')
        .values({
          organizationId: organization.id,
          userId: input.ownerId,
          role: 'owner',
          createdAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      const team = await trx
        .insertInto('teams')
        .values({
          organizationId: organization.id,
          slug: input.slug,
          name: input.name,
          createdAt: now,
        })
        .returning('id')
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('teamMembers')
        .values({ teamId: team.id, memberId: member.id })
        .execute();
      return organization;
    });
  }

  listTeams(organizationId: number): Promise<TeamRecord[]> {
    return this.#db
      .selectFrom('teams')
      .selectAll()
      .where('organizationId', '=', organizationId)
      .orderBy('slug')
      .execute();
  }

  findTeam(organizationId: number, slugOrId: string): Promise<TeamRecord | undefined> {
    const query = this.#db
      .selectFrom('teams')
      .selectAll()
      .where('organizationId', '=', organizationId);
    return /^\d+$/.test(slugOrId)
      ? query.where('id', '=', Number(slugOrId)).executeTakeFirst()
      : query.where('slug', '=', slugOrId).executeTakeFirst();
  }

  async createTeam(input: {
    organizationId: number;
    slug: string;
    name: string;
    memberId: number;
  }) {
    return this.#db.transaction().execute(async (trx) => {
      const team = await trx
        .insertInto('teams')
        .values({
          organizationId: input.organizationId,
          slug: input.slug,
          name: input.name,
          createdAt: Date.now(),
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('teamMembers')
        .values({ teamId: team.id, memberId: input.memberId })
        .execute();
      return team;
    });
  }

  countTeamMembers(teamId: number): Promise<number> {
    return this.#db
      .selectFrom('teamMembers')
      .select((eb) => eb.fn.countAll<number>().as('count'))
      .where('teamId', '=', teamId)
      .executeTakeFirstOrThrow()
      .then((row) => Number(row.count));
  }

  listProjects(organizationId: number): Promise<ProjectRecord[]> {
    return this.#db
      .selectFrom('projects')
      .select(PROJECT_COLUMNS)
      .where('organizationId', '=', organizationId)
      .orderBy('slug')
      .execute();
  }

  findProject(organizationId: number, slugOrId: string): Promise<ProjectRecord | undefined> {
    const query = this.#db
      .selectFrom('projects')
      .select(PROJECT_COLUMNS)
      .where('organizationId', '=', organizationId);
    return /^\d+$/.test(slugOrId)
      ? query.where('id', '=', Number(slugOrId)).executeTakeFirst()
      : query.where('slug', '=', slugOrId).executeTakeFirst();
  }

  async findOrganizationIdOfProject(projectId: number): Promise<number | undefined> {
    const row = await this.#db
      .selectFrom('projects')
      .select('organizationId')
      .where('id', '=', projectId)
      .executeTakeFirst();
    return row?.organizationId;
  }

  listProjectTeams(projectId: number): Promise<TeamRecord[]> {
    return this.#db
      .selectFrom('teams')
      .innerJoin('projectTeams', 'projectTeams.teamId', 'teams.id')
      .selectAll('teams')
      .where('projectTeams.projectId', '=', projectId)
      .execute();
  }

  /** Creates a project under a team, with one active DSN key. */
  async createProject(input: {
    organizationId: number;
    teamId: number;
    slug: string;
    name: string;
    platform: string | null;
  }): Promise<ProjectRecord> {
    return this.#db.transaction().execute(async (trx) => {
      const now = Date.now();
      const project = await trx
        .insertInto('projects')
        .values({
          organizationId: input.organizationId,
          slug: input.slug,
          name: input.name,
          platform: input.platform,
          createdAt: now,
          firstEventAt: null,
          nextShortId: 1,
        })
        .returning([
          'id',
          'organizationId',
          'slug',
          'name',
          'platform',
          'createdAt',
          'firstEventAt',
        ])
        .executeTakeFirstOrThrow();
      await trx
        .insertInto('projectTeams')
        .values({ projectId: project.id, teamId: input.teamId })
        .execute();
      await trx
        .insertInto('projectKeys')
        .values({
          projectId: project.id,
          publicKey: randomHex(16),
          secretKey: randomHex(16),
          label: 'Default',
          isActive: 1,
          createdAt: now,
        })
        .execute();
      for (const hook of this.#onProjectCreated) {
        await hook(trx, project.id);
      }
      return project;
    });
  }

  /** Renames a project or changes its slug; returns the project as stored afterwards. */
  async updateProject(
    projectId: number,
    change: { name?: string; slug?: string; platform?: string | null },
  ): Promise<ProjectRecord> {
    if (change.name !== undefined || change.slug !== undefined || change.platform !== undefined) {
      await this.#db
        .updateTable('projects')
        .set({
          ...(change.name === undefined ? {} : { name: change.name }),
          ...(change.slug === undefined ? {} : { slug: change.slug }),
          ...(change.platform === undefined ? {} : { platform: change.platform }),
        })
        .where('id', '=', projectId)
        .execute();
    }
    return this.#db
      .selectFrom('projects')
      .select(PROJECT_COLUMNS)
      .where('id', '=', projectId)
      .executeTakeFirstOrThrow();
  }

  listKeys(projectId: number): Promise<ProjectKeyRecord[]> {
    return this.#db
      .selectFrom('projectKeys')
      .selectAll()
      .where('projectId', '=', projectId)
      .orderBy('id')
      .execute();
  }

  findKey(projectId: number, publicKey: string): Promise<ProjectKeyRecord | undefined> {
    return this.#db
      .selectFrom('projectKeys')
      .selectAll()
      .where('projectId', '=', projectId)
      .where('publicKey', '=', publicKey)
      .executeTakeFirst();
  }

  /** Creates another DSN key for a project. */
  createKey(
    projectId: number,
    input: { label: string; rateLimit: { count: number; window: number } | null },
  ): Promise<ProjectKeyRecord> {
    return this.#db
      .insertInto('projectKeys')
      .values({
        projectId,
        publicKey: randomHex(16),
        secretKey: randomHex(16),
        label: input.label,
        isActive: 1,
        createdAt: Date.now(),
        rateLimitCount: input.rateLimit?.count ?? null,
        rateLimitWindow: input.rateLimit?.window ?? null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
  }

  /** Applies changes to a key and returns it, or undefined when the key does not exist. */
  async updateKey(
    projectId: number,
    publicKey: string,
    changes: ProjectKeyChanges,
  ): Promise<ProjectKeyRecord | undefined> {
    const values = {
      ...(changes.label === undefined ? {} : { label: changes.label }),
      ...(changes.isActive === undefined ? {} : { isActive: changes.isActive ? 1 : 0 }),
      ...(changes.rateLimit === undefined
        ? {}
        : {
            rateLimitCount: changes.rateLimit?.count ?? null,
            rateLimitWindow: changes.rateLimit?.window ?? null,
          }),
      ...(changes.allowedDomains === undefined
        ? {}
        : { allowedDomains: JSON.stringify(changes.allowedDomains) }),
    };

    if (Object.keys(values).length > 0) {
      await this.#db
        .updateTable('projectKeys')
        .set(values)
        .where('projectId', '=', projectId)
        .where('publicKey', '=', publicKey)
        .execute();
    }
    return this.findKey(projectId, publicKey);
  }

  /**
   * Replaces a key in one transaction: creates a key with the same name, rate limit and allowed
   * domains, and disables the old one. Returns both, or undefined when the key does not exist.
   */
  async rotateKey(
    projectId: number,
    publicKey: string,
  ): Promise<{ previous: ProjectKeyRecord; created: ProjectKeyRecord } | undefined> {
    return this.#db.transaction().execute(async (trx) => {
      const previous = await trx
        .selectFrom('projectKeys')
        .selectAll()
        .where('projectId', '=', projectId)
        .where('publicKey', '=', publicKey)
        .executeTakeFirst();
      if (previous === undefined) {
        return undefined;
      }
      const created = await trx
        .insertInto('projectKeys')
        .values({
          projectId,
          publicKey: randomHex(16),
          secretKey: randomHex(16),
          label: previous.label,
          isActive: 1,
          createdAt: Date.now(),
          rateLimitCount: previous.rateLimitCount,
          rateLimitWindow: previous.rateLimitWindow,
          allowedDomains: previous.allowedDomains,
        })
        .returningAll()
        .executeTakeFirstOrThrow();
      await trx
        .updateTable('projectKeys')
        .set({ isActive: 0 })
        .where('id', '=', previous.id)
        .execute();
      return { previous: { ...previous, isActive: 0 }, created };
    });
  }

  /** Deletes a key; returns whether it existed. */
  async deleteKey(projectId: number, publicKey: string): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('projectKeys')
      .where('projectId', '=', projectId)
      .where('publicKey', '=', publicKey)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }

  /** Finds an active key with its project, for ingest authentication. */
  findActiveKey(publicKey: string) {
    return this.#db
      .selectFrom('projectKeys')
      .select(['projectKeys.projectId', 'projectKeys.isActive'])
      .where('publicKey', '=', publicKey)
      .executeTakeFirst();
  }

  /** Ids of the projects linked to any team the member belongs to. */
  async listMemberProjectIds(memberId: number): Promise<number[]> {
    const rows = await this.#db
      .selectFrom('projectTeams')
      .innerJoin('teamMembers', 'teamMembers.teamId', 'projectTeams.teamId')
      .select('projectTeams.projectId')
      .distinct()
      .where('teamMembers.memberId', '=', memberId)
      .execute();
    return rows.map((row) => row.projectId);
  }

  /** Changes an organization's settings and returns it as stored afterwards. */
  async updateOrganization(
    organizationId: number,
    change: {
      name?: string;
      slug?: string;
      openMembership?: number;
      defaultRole?: string;
      requireTwoFactor?: number;
    },
  ): Promise<OrganizationRecord> {
    if (Object.keys(change).length > 0) {
      await this.#db
        .updateTable('organizations')
        .set(change)
        .where('id', '=', organizationId)
        .execute();
    }
    return this.#db
      .selectFrom('organizations')
      .selectAll()
      .where('id', '=', organizationId)
      .executeTakeFirstOrThrow();
  }

  /** Deletes an organization; its members, teams, projects and their data cascade. */
  async deleteOrganization(organizationId: number): Promise<void> {
    await this.#db.deleteFrom('organizations').where('id', '=', organizationId).execute();
  }

  async updateTeam(teamId: number, change: { name?: string; slug?: string }): Promise<TeamRecord> {
    if (Object.keys(change).length > 0) {
      await this.#db.updateTable('teams').set(change).where('id', '=', teamId).execute();
    }
    return this.#db
      .selectFrom('teams')
      .selectAll()
      .where('id', '=', teamId)
      .executeTakeFirstOrThrow();
  }

  /** Deletes a team; its memberships and project links cascade, the projects stay. */
  async deleteTeam(teamId: number): Promise<void> {
    await this.#db.deleteFrom('teams').where('id', '=', teamId).execute();
  }

  listTeamProjects(teamId: number): Promise<ProjectRecord[]> {
    return this.#db
      .selectFrom('projects')
      .innerJoin('projectTeams', 'projectTeams.projectId', 'projects.id')
      .select(PROJECT_COLUMNS)
      .where('projectTeams.teamId', '=', teamId)
      .orderBy('projects.slug')
      .execute();
  }

  /** Links a project to a team; returns false when it was linked already. */
  async addProjectTeam(projectId: number, teamId: number): Promise<boolean> {
    const existing = await this.#db
      .selectFrom('projectTeams')
      .select('teamId')
      .where('projectId', '=', projectId)
      .where('teamId', '=', teamId)
      .executeTakeFirst();
    if (existing !== undefined) {
      return false;
    }
    await this.#db.insertInto('projectTeams').values({ projectId, teamId }).execute();
    return true;
  }

  /** Unlinks a project from a team; returns false when it was not linked. */
  async removeProjectTeam(projectId: number, teamId: number): Promise<boolean> {
    const result = await this.#db
      .deleteFrom('projectTeams')
      .where('projectId', '=', projectId)
      .where('teamId', '=', teamId)
      .executeTakeFirst();
    return Number(result.numDeletedRows) > 0;
  }
}
