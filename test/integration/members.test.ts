import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import { SERVER_ENGINES } from '../helpers/engines.js';
import {
  PASSWORD,
  acceptPath,
  addMember,
  call,
  createToken,
  createUser,
  logIn,
  readAudit,
} from '../helpers/members.js';
import {
  sendEnvelope,
  setupProject,
  startPicket,
  waitFor,
  type PicketInstance,
  type TestProject,
} from '../helpers/picket.js';

interface MemberBody {
  id: string;
  email: string;
  orgRole: string;
  pending: boolean;
  teams: string[];
  teamRoles: { teamSlug: string; role: string }[];
  inviteLink?: string;
  inviteSent?: boolean;
}

describe.each(SERVER_ENGINES)('members and invitations on $name', (engine) => {
  let picket: PicketInstance;
  let databaseUrl: string | undefined;
  let acme: TestProject;
  let other: TestProject;
  let owner: { token: string };
  let prefix = 0;

  const members = (org: string) => `/api/0/organizations/${org}/members/`;
  const nextEmail = (name: string) => {
    prefix += 1;
    return `${name}${prefix}@${engine.name}.example.com`;
  };

  beforeAll(async () => {
    databaseUrl = await engine.databaseUrl();
    picket = await startPicket({ databaseUrl });
    acme = await setupProject(picket, 'acme');
    other = await setupProject(picket, 'other');
    // The setup token lacks member scopes; this token of the same owner has them all.
    owner = { token: await createToken(picket, acme.email) };
  });

  afterAll(async () => {
    await picket?.stop();
  });

  describe('invitations', () => {
    it('invites by link and accepts as a new user', async () => {
      const email = nextEmail('new');
      const invited = await call(picket, owner, 'POST', members(acme.orgSlug), {
        email,
        orgRole: 'admin',
        teams: [acme.teamSlug],
      });
      expect(invited.status).toBe(201);
      const invite = invited.body as MemberBody;
      expect(invite.pending).toBe(true);
      expect(invite.id).toMatch(/^i\d+$/);
      expect(invite.inviteSent).toBe(false);
      expect(invite.inviteLink).toMatch(/\/accept-invite\/i\d+\/[0-9a-f]{64}\/$/);

      const path = acceptPath(invite.inviteLink ?? '');
      const details = await call(picket, undefined, 'GET', path);
      expect(details.status).toBe(200);
      expect(details.body).toMatchObject({ email, orgRole: 'admin', existingUser: false });

      const accepted = await call(picket, undefined, 'POST', path, {
        name: 'New Admin',
        password: PASSWORD,
      });
      expect(accepted.status).toBe(200);
      expect(accepted.body).toMatchObject({ createdUser: true, user: { email } });

      const list = (await call(picket, owner, 'GET', members(acme.orgSlug))).body as MemberBody[];
      const joined = list.find((member) => member.email === email);
      expect(joined?.orgRole).toBe('admin');
      expect(joined?.pending).toBe(false);
      expect(joined?.teams).toEqual([acme.teamSlug]);
      expect(list.some((member) => member.id === invite.id)).toBe(false);

      const secondUse = await call(picket, undefined, 'POST', path, { password: PASSWORD });
      expect(secondUse.status).toBe(404);
      expect((await call(picket, undefined, 'GET', path)).status).toBe(404);

      const login = await logIn(picket, email);
      expect(login.csrf).not.toBe('');
    });

    it('answers 404 for a tampered token', async () => {
      const email = nextEmail('tampered');
      const invited = await call(picket, owner, 'POST', members(acme.orgSlug), { email });
      const path = acceptPath((invited.body as MemberBody).inviteLink ?? '');
      const flipped = path.replace(/([0-9a-f])\/$/, (_, last: string) =>
        last === '0' ? '1/' : '0/',
      );
      expect((await call(picket, undefined, 'GET', flipped)).status).toBe(404);
      expect((await call(picket, undefined, 'POST', flipped, { password: PASSWORD })).status).toBe(
        404,
      );
      expect((await call(picket, undefined, 'GET', path)).status).toBe(200);
    });

    it('binds acceptance to the invited e-mail, not the session', async () => {
      const email = nextEmail('bound');
      const invited = await call(picket, owner, 'POST', members(acme.orgSlug), { email });
      const path = acceptPath((invited.body as MemberBody).inviteLink ?? '');
      const stranger = nextEmail('stranger');
      await createUser(picket, stranger);
      const session = await logIn(picket, stranger);

      const asStranger = await call(picket, session, 'POST', path, {});
      expect(asStranger.status).toBe(403);
      const list = (await call(picket, owner, 'GET', members(acme.orgSlug))).body as MemberBody[];
      expect(list.some((member) => member.email === stranger)).toBe(false);

      const existing = nextEmail('existing');
      await createUser(picket, existing);
      const forExisting = await call(picket, owner, 'POST', members(acme.orgSlug), {
        email: existing,
      });
      const existingPath = acceptPath((forExisting.body as MemberBody).inviteLink ?? '');
      const anonymous = await call(picket, undefined, 'POST', existingPath, {
        password: 'another password',
      });
      expect(anonymous.status).toBe(401);
      const own = await call(picket, await logIn(picket, existing), 'POST', existingPath, {});
      expect(own.status).toBe(200);
      expect(own.body).toMatchObject({ createdUser: false });
    });

    it('rejects a duplicate invitation and an existing member', async () => {
      const email = nextEmail('twice');
      expect((await call(picket, owner, 'POST', members(acme.orgSlug), { email })).status).toBe(
        201,
      );
      expect((await call(picket, owner, 'POST', members(acme.orgSlug), { email })).status).toBe(
        409,
      );
      expect(
        (await call(picket, owner, 'POST', members(acme.orgSlug), { email: acme.email })).status,
      ).toBe(409);
    });

    it('regenerates a link and voids the old one', async () => {
      const email = nextEmail('regen');
      const invited = (await call(picket, owner, 'POST', members(acme.orgSlug), { email }))
        .body as MemberBody;
      const regenerated = await call(
        picket,
        owner,
        'PUT',
        `${members(acme.orgSlug)}${invited.id}/`,
        {
          regenerate: true,
        },
      );
      expect(regenerated.status).toBe(200);
      const newLink = (regenerated.body as MemberBody).inviteLink ?? '';
      expect(newLink).not.toBe(invited.inviteLink);
      expect(
        (await call(picket, undefined, 'GET', acceptPath(invited.inviteLink ?? ''))).status,
      ).toBe(404);
      expect((await call(picket, undefined, 'GET', acceptPath(newLink))).status).toBe(200);
    });

    it('removes an invitation', async () => {
      const email = nextEmail('removed');
      const invited = (await call(picket, owner, 'POST', members(acme.orgSlug), { email }))
        .body as MemberBody;
      const removed = await call(picket, owner, 'DELETE', `${members(acme.orgSlug)}${invited.id}/`);
      expect(removed.status).toBe(204);
      expect(
        (await call(picket, undefined, 'GET', acceptPath(invited.inviteLink ?? ''))).status,
      ).toBe(404);
    });

    it('rejects invalid input', async () => {
      const bad = await call(picket, owner, 'POST', members(acme.orgSlug), {
        email: 'not-an-email',
      });
      expect(bad.status).toBe(400);
      const badRole = await call(picket, owner, 'POST', members(acme.orgSlug), {
        email: nextEmail('badrole'),
        orgRole: 'superuser',
      });
      expect(badRole.status).toBe(400);
      const badTeam = await call(picket, owner, 'POST', members(acme.orgSlug), {
        email: nextEmail('badteam'),
        teams: [other.teamSlug],
      });
      expect(badTeam.status).toBe(400);
    });
  });

  describe('role rules', () => {
    it('keeps every role within its own rank', async () => {
      const manager = await addMember(
        picket,
        owner.token,
        acme.orgSlug,
        nextEmail('mgr'),
        'manager',
      );
      const admin = await addMember(picket, owner.token, acme.orgSlug, nextEmail('adm'), 'admin');
      const member = await addMember(picket, owner.token, acme.orgSlug, nextEmail('mem'), 'member');
      const asManager = { token: manager.token };
      const memberPath = (id: string) => `${members(acme.orgSlug)}${id}/`;

      // Invitations.
      const ownerInvite = await call(picket, asManager, 'POST', members(acme.orgSlug), {
        email: nextEmail('x'),
        orgRole: 'owner',
      });
      expect(ownerInvite.status).toBe(403);
      const managerInvite = await call(picket, asManager, 'POST', members(acme.orgSlug), {
        email: nextEmail('y'),
        orgRole: 'manager',
      });
      expect(managerInvite.status).toBe(201);
      for (const actor of [admin, member]) {
        const attempt = await call(picket, { token: actor.token }, 'POST', members(acme.orgSlug), {
          email: nextEmail('z'),
        });
        expect(attempt.status).toBe(403);
      }

      // Role changes.
      expect(
        (await call(picket, asManager, 'PUT', memberPath(member.memberId), { orgRole: 'owner' }))
          .status,
      ).toBe(403);
      expect(
        (await call(picket, asManager, 'PUT', memberPath(manager.memberId), { orgRole: 'owner' }))
          .status,
      ).toBe(403);
      expect(
        (
          await call(picket, { token: admin.token }, 'PUT', memberPath(member.memberId), {
            orgRole: 'admin',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(picket, { token: admin.token }, 'PUT', memberPath(admin.memberId), {
            orgRole: 'manager',
          })
        ).status,
      ).toBe(403);
      expect(
        (
          await call(picket, { token: member.token }, 'PUT', memberPath(member.memberId), {
            role: 'owner',
          })
        ).status,
      ).toBe(403);
      const ownerMember = (
        (await call(picket, owner, 'GET', `${members(acme.orgSlug)}me/`)).body as MemberBody
      ).id;
      expect(
        (await call(picket, asManager, 'PUT', memberPath(ownerMember), { orgRole: 'member' }))
          .status,
      ).toBe(403);
      expect((await call(picket, asManager, 'DELETE', memberPath(ownerMember))).status).toBe(403);

      const promoted = await call(picket, asManager, 'PUT', memberPath(member.memberId), {
        orgRole: 'admin',
      });
      expect(promoted.status).toBe(200);
      expect((promoted.body as MemberBody).orgRole).toBe('admin');

      // Removal: admins may not remove others, managers may, anyone may leave.
      expect(
        (await call(picket, { token: admin.token }, 'DELETE', memberPath(member.memberId))).status,
      ).toBe(403);
      expect((await call(picket, asManager, 'DELETE', memberPath(member.memberId))).status).toBe(
        204,
      );
      expect(
        (await call(picket, { token: admin.token }, 'DELETE', `${members(acme.orgSlug)}me/`))
          .status,
      ).toBe(204);
      expect(
        (await call(picket, { token: admin.token }, 'GET', `/api/0/organizations/${acme.orgSlug}/`))
          .status,
      ).toBe(404);

      const audit = await readAudit(picket, databaseUrl);
      const edit = audit.find(
        (row) => row.event === 'member.edit' && row.targetId === member.memberId,
      );
      expect(edit?.data).toMatchObject({ before: { role: 'member' }, after: { role: 'admin' } });
      expect(audit.filter((row) => row.event === 'member.remove').length).toBeGreaterThanOrEqual(2);
    });

    it('protects the last owner', async () => {
      const org = await setupProject(picket, 'solo');
      const soloToken = await createToken(picket, org.email);
      const me = (await call(picket, { token: soloToken }, 'GET', `${members(org.orgSlug)}me/`))
        .body as MemberBody;
      const mePath = `${members(org.orgSlug)}${me.id}/`;

      expect(
        (await call(picket, { token: soloToken }, 'PUT', mePath, { orgRole: 'manager' })).status,
      ).toBe(403);
      expect((await call(picket, { token: soloToken }, 'DELETE', mePath)).status).toBe(403);

      const second = await addMember(picket, soloToken, org.orgSlug, nextEmail('owner2'), 'owner');
      expect(
        (await call(picket, { token: soloToken }, 'PUT', mePath, { orgRole: 'manager' })).status,
      ).toBe(200);
      const secondPath = `${members(org.orgSlug)}${second.memberId}/`;
      expect((await call(picket, { token: second.token }, 'DELETE', secondPath)).status).toBe(403);
    });

    it('edits teams and team roles of a member', async () => {
      const member = await addMember(
        picket,
        owner.token,
        acme.orgSlug,
        nextEmail('teams'),
        'member',
      );
      const updated = await call(
        picket,
        owner,
        'PUT',
        `${members(acme.orgSlug)}${member.memberId}/`,
        {
          teamRoles: [{ teamSlug: acme.teamSlug, role: 'admin' }],
        },
      );
      expect(updated.status).toBe(200);
      expect((updated.body as MemberBody).teamRoles).toEqual([
        { teamSlug: acme.teamSlug, role: 'admin' },
      ]);
      const teamMembers = await call(
        picket,
        owner,
        'GET',
        `/api/0/teams/${acme.orgSlug}/${acme.teamSlug}/members/`,
      );
      expect(
        (teamMembers.body as (MemberBody & { teamRole: string })[]).find(
          (row) => row.id === member.memberId,
        )?.teamRole,
      ).toBe('admin');
    });
  });

  describe('other organizations', () => {
    it('answers 404 for their member ids, invitations and teams', async () => {
      const otherToken = await createToken(picket, other.email);
      const otherMember = (
        (await call(picket, { token: otherToken }, 'GET', `${members(other.orgSlug)}me/`))
          .body as MemberBody
      ).id;
      const otherInvite = (
        (
          await call(picket, { token: otherToken }, 'POST', members(other.orgSlug), {
            email: nextEmail('foreign'),
          })
        ).body as MemberBody
      ).id;

      for (const id of [otherMember, otherInvite]) {
        const path = `${members(acme.orgSlug)}${id}/`;
        expect((await call(picket, owner, 'GET', path)).status).toBe(404);
        expect((await call(picket, owner, 'PUT', path, { orgRole: 'member' })).status).toBe(404);
        expect((await call(picket, owner, 'PUT', path, { regenerate: true })).status).toBe(404);
        expect((await call(picket, owner, 'DELETE', path)).status).toBe(404);
        expect((await call(picket, owner, 'POST', `${path}teams/${acme.teamSlug}/`)).status).toBe(
          404,
        );
      }
      expect(
        (await call(picket, owner, 'GET', `/api/0/teams/${acme.orgSlug}/${other.teamSlug}/`))
          .status,
      ).toBe(404);
      expect(
        (await call(picket, owner, 'DELETE', `/api/0/teams/${acme.orgSlug}/${other.teamSlug}/`))
          .status,
      ).toBe(404);
      expect(
        (
          await call(
            picket,
            owner,
            'POST',
            `/api/0/projects/${acme.orgSlug}/${acme.projectSlug}/teams/${other.teamSlug}/`,
          )
        ).status,
      ).toBe(404);
      expect((await call(picket, owner, 'GET', members(other.orgSlug))).status).toBe(404);
      expect(
        (await call(picket, owner, 'PUT', `/api/0/organizations/${other.orgSlug}/`, { name: 'x' }))
          .status,
      ).toBe(404);
    });
  });

  describe('teams and project access', () => {
    it('hides other teams’ projects from members when membership is closed', async () => {
      const org = await setupProject(picket, 'closed');
      const ownerToken = await createToken(picket, org.email);
      const asOwner = { token: ownerToken };
      const created = await call(
        picket,
        asOwner,
        'POST',
        `/api/0/organizations/${org.orgSlug}/teams/`,
        {
          slug: 'backend',
          name: 'Backend',
        },
      );
      expect(created.status).toBe(201);
      const secret = await call(
        picket,
        asOwner,
        'POST',
        `/api/0/teams/${org.orgSlug}/backend/projects/`,
        {
          name: 'Secret',
          slug: 'secret',
        },
      );
      expect(secret.status).toBe(201);
      const secretId = (secret.body as { id: string }).id;
      const dsn = (
        (await call(picket, asOwner, 'GET', `/api/0/projects/${org.orgSlug}/secret/keys/`))
          .body as {
          dsn: { public: string };
        }[]
      )[0]?.dsn.public;

      const member = await addMember(picket, ownerToken, org.orgSlug, nextEmail('cm'), 'member', [
        org.teamSlug,
      ]);
      const admin = await addMember(picket, ownerToken, org.orgSlug, nextEmail('ca'), 'admin', [
        org.teamSlug,
      ]);
      const manager = await addMember(picket, ownerToken, org.orgSlug, nextEmail('cg'), 'manager');
      const slugsFor = async (token: string) =>
        (
          (await call(picket, { token }, 'GET', `/api/0/organizations/${org.orgSlug}/projects/`))
            .body as {
            slug: string;
          }[]
        ).map((project) => project.slug);

      // Open membership: everyone sees both projects.
      expect(await slugsFor(member.token)).toEqual([org.projectSlug, 'secret'].sort());

      const closed = await call(picket, asOwner, 'PUT', `/api/0/organizations/${org.orgSlug}/`, {
        openMembership: false,
      });
      expect(closed.status).toBe(200);
      expect(closed.body).toMatchObject({ openMembership: false });

      expect(await slugsFor(member.token)).toEqual([org.projectSlug]);
      expect(await slugsFor(admin.token)).toEqual([org.projectSlug]);
      expect(await slugsFor(manager.token)).toEqual([org.projectSlug, 'secret'].sort());
      expect(
        (
          await call(
            picket,
            { token: member.token },
            'GET',
            `/api/0/projects/${org.orgSlug}/secret/`,
          )
        ).status,
      ).toBe(404);
      expect(
        (
          await call(
            picket,
            { token: manager.token },
            'GET',
            `/api/0/projects/${org.orgSlug}/secret/`,
          )
        ).status,
      ).toBe(200);
      const allProjects = (await call(picket, { token: member.token }, 'GET', '/api/0/projects/'))
        .body as { slug: string }[];
      expect(allProjects.some((project) => project.slug === 'secret')).toBe(false);

      // An issue in the hidden project stays out of the member's organization-wide issue list.
      const sent = await sendEnvelope(dsn ?? '', [
        {
          headers: { type: 'event' },
          payload: { event_id: 'a'.repeat(32), message: 'secret failure', level: 'error' },
        },
      ]);
      expect(sent.status).toBe(200);
      const issuesPath = `/api/0/organizations/${org.orgSlug}/issues/?query=`;
      await waitFor(async () => {
        const issues = (await call(picket, { token: manager.token }, 'GET', issuesPath))
          .body as unknown[];
        return issues.length > 0 ? issues : undefined;
      });
      const memberIssues = await call(picket, { token: member.token }, 'GET', issuesPath);
      expect(memberIssues.body).toEqual([]);
      const named = await call(
        picket,
        { token: member.token },
        'GET',
        `${issuesPath}&project=${secretId}`,
      );
      expect(named.body).toEqual([]);

      // Joining needs team:write while membership is closed; an admin may add the member.
      const joinPath = `/api/0/organizations/${org.orgSlug}/members/me/teams/backend/`;
      expect((await call(picket, { token: member.token }, 'POST', joinPath)).status).toBe(403);
      const addByAdmin = await call(
        picket,
        { token: admin.token },
        'POST',
        `/api/0/organizations/${org.orgSlug}/members/${member.memberId}/teams/backend/`,
      );
      expect(addByAdmin.status).toBe(201);
      expect(await slugsFor(member.token)).toEqual([org.projectSlug, 'secret'].sort());

      // Leaving is always allowed.
      expect((await call(picket, { token: member.token }, 'DELETE', joinPath)).status).toBe(200);
      expect(await slugsFor(member.token)).toEqual([org.projectSlug]);

      const audit = await readAudit(picket, databaseUrl);
      const events = audit.map((row) => row.event);
      expect(events).toContain('org.edit');
      expect(events).toContain('member.join-team');
      expect(events).toContain('member.leave-team');
      expect(events).toContain('team.create');
      expect(events).toContain('project.create');
    });

    it('lets members join any team with open membership', async () => {
      const member = await addMember(
        picket,
        owner.token,
        acme.orgSlug,
        nextEmail('join'),
        'member',
      );
      const created = await call(
        picket,
        owner,
        'POST',
        `/api/0/organizations/${acme.orgSlug}/teams/`,
        {
          slug: `open-${engine.name}`,
          name: 'Open',
        },
      );
      expect(created.status).toBe(201);
      const path = `/api/0/organizations/${acme.orgSlug}/members/me/teams/open-${engine.name}/`;
      expect((await call(picket, { token: member.token }, 'POST', path)).status).toBe(201);
      expect((await call(picket, { token: member.token }, 'POST', path)).status).toBe(204);

      const other = await addMember(
        picket,
        owner.token,
        acme.orgSlug,
        nextEmail('joinother'),
        'member',
      );
      const moveOther = `/api/0/organizations/${acme.orgSlug}/members/${other.memberId}/teams/open-${engine.name}/`;
      expect((await call(picket, { token: member.token }, 'POST', moveOther)).status).toBe(403);
    });

    it('lets a team admin manage its own team only', async () => {
      const teamSlug = `ta-${engine.name}`;
      await call(picket, owner, 'POST', `/api/0/organizations/${acme.orgSlug}/teams/`, {
        slug: teamSlug,
        name: 'Team admin',
      });
      const lead = await addMember(picket, owner.token, acme.orgSlug, nextEmail('lead'), 'member', [
        teamSlug,
      ]);
      const helper = await addMember(
        picket,
        owner.token,
        acme.orgSlug,
        nextEmail('helper'),
        'member',
      );
      const asLead = { token: lead.token };
      const teamPath = `/api/0/teams/${acme.orgSlug}/${teamSlug}/`;
      const addHelper = `/api/0/organizations/${acme.orgSlug}/members/${helper.memberId}/teams/${teamSlug}/`;

      expect((await call(picket, asLead, 'PUT', teamPath, { name: 'Renamed' })).status).toBe(403);
      expect((await call(picket, asLead, 'POST', addHelper)).status).toBe(403);

      const promoted = await call(
        picket,
        owner,
        'PUT',
        `/api/0/organizations/${acme.orgSlug}/members/${lead.memberId}/teams/${teamSlug}/`,
        { teamRole: 'admin' },
      );
      expect(promoted.status).toBe(200);

      expect((await call(picket, asLead, 'PUT', teamPath, { name: 'Renamed' })).status).toBe(200);
      expect((await call(picket, asLead, 'POST', addHelper)).status).toBe(201);
      const projectTeam = `/api/0/projects/${acme.orgSlug}/${acme.projectSlug}/teams/${teamSlug}/`;
      const linked = await call(picket, asLead, 'POST', projectTeam);
      expect(linked.status).toBe(201);
      expect(
        (linked.body as { teams: { slug: string }[] }).teams.map((team) => team.slug),
      ).toContain(teamSlug);
      const teamProjects = await call(picket, asLead, 'GET', `${teamPath}projects/`);
      expect((teamProjects.body as { slug: string }[]).map((project) => project.slug)).toEqual([
        acme.projectSlug,
      ]);
      expect((await call(picket, asLead, 'DELETE', projectTeam)).status).toBe(200);

      // Not an admin of the organization's first team.
      expect(
        (
          await call(picket, asLead, 'PUT', `/api/0/teams/${acme.orgSlug}/${acme.teamSlug}/`, {
            name: 'x',
          })
        ).status,
      ).toBe(403);
      expect((await call(picket, { token: helper.token }, 'DELETE', teamPath)).status).toBe(403);
      expect((await call(picket, asLead, 'DELETE', teamPath)).status).toBe(204);
      expect((await call(picket, owner, 'GET', teamPath)).status).toBe(404);

      const events = (await readAudit(picket, databaseUrl)).map((row) => row.event);
      for (const event of ['team.edit', 'team.remove', 'project-team.add', 'project-team.remove']) {
        expect(events).toContain(event);
      }
    });
  });

  describe('organization settings', () => {
    it('changes settings with org:write and deletes with org:admin', async () => {
      const org = await setupProject(picket, 'settings');
      const ownerToken = await createToken(picket, org.email);
      const manager = await addMember(picket, ownerToken, org.orgSlug, nextEmail('sm'), 'manager');
      const admin = await addMember(picket, ownerToken, org.orgSlug, nextEmail('sa'), 'admin');
      const orgPath = `/api/0/organizations/${org.orgSlug}/`;

      expect(
        (await call(picket, { token: admin.token }, 'PUT', orgPath, { name: 'Nope' })).status,
      ).toBe(403);
      const renamed = await call(picket, { token: manager.token }, 'PUT', orgPath, {
        name: 'Renamed',
        defaultRole: 'admin',
      });
      expect(renamed.status).toBe(200);
      expect(renamed.body).toMatchObject({ name: 'Renamed', defaultRole: 'admin' });
      expect(
        (await call(picket, { token: manager.token }, 'PUT', orgPath, { defaultRole: 'owner' }))
          .status,
      ).toBe(403);
      expect(
        (await call(picket, { token: manager.token }, 'PUT', orgPath, { isSuperuser: true }))
          .status,
      ).toBe(400);

      const twoFactor = await call(picket, { token: ownerToken }, 'PUT', orgPath, {
        require2FA: true,
      });
      expect(twoFactor.status).toBe(400);
      expect((twoFactor.body as { detail: string }).detail).toMatch(/two-factor/);

      const invite = await call(picket, { token: ownerToken }, 'POST', members(org.orgSlug), {
        email: nextEmail('default'),
      });
      expect((invite.body as MemberBody).orgRole).toBe('admin');

      expect((await call(picket, { token: manager.token }, 'DELETE', orgPath)).status).toBe(403);
      expect((await call(picket, { token: ownerToken }, 'DELETE', orgPath)).status).toBe(204);
      expect((await call(picket, { token: ownerToken }, 'GET', orgPath)).status).toBe(404);

      const audit = await readAudit(picket, databaseUrl);
      const edit = audit.find(
        (row) =>
          row.event === 'org.edit' && (row.data.after as { name?: string }).name === 'Renamed',
      );
      expect(edit?.data).toEqual({
        before: { name: expect.any(String) as string, defaultRole: 'member' },
        after: { name: 'Renamed', defaultRole: 'admin' },
      });
      expect(audit.some((row) => row.event === 'org.remove')).toBe(true);
    });
  });

  describe('superuser administration', () => {
    it('lists, creates, deactivates and grants', async () => {
      const adminEmail = nextEmail('root');
      const rootToken = await createUser(picket, adminEmail, { superuser: true });
      const root = await logIn(picket, adminEmail);

      expect((await call(picket, owner, 'GET', '/api/0/users/')).status).toBe(403);
      expect((await call(picket, { token: rootToken }, 'GET', '/api/0/users/')).status).toBe(403);
      expect((await call(picket, undefined, 'GET', '/api/0/users/')).status).toBe(401);

      const listed = await call(picket, root, 'GET', '/api/0/users/');
      expect(listed.status).toBe(200);
      expect((listed.body as { email: string }[]).some((user) => user.email === adminEmail)).toBe(
        true,
      );

      const email = nextEmail('managed');
      const created = await call(picket, root, 'POST', '/api/0/users/', {
        email,
        password: PASSWORD,
      });
      expect(created.status).toBe(201);
      const userId = (created.body as { id: string }).id;
      const userToken = await createToken(picket, email);
      const userSession = await logIn(picket, email);
      expect((await call(picket, userSession, 'GET', '/api/0/auth/')).status).toBe(200);

      const deactivated = await call(picket, root, 'PUT', `/api/0/users/${userId}/`, {
        isActive: false,
      });
      expect(deactivated.status).toBe(200);
      expect(deactivated.body).toMatchObject({ isActive: false });
      expect((await call(picket, userSession, 'GET', '/api/0/auth/')).status).toBe(401);
      expect(
        (await call(picket, { token: userToken }, 'GET', '/api/0/organizations/')).status,
      ).toBe(401);

      expect(
        (await call(picket, root, 'PUT', `/api/0/users/${userId}/`, { isActive: true })).status,
      ).toBe(200);
      expect(
        (await call(picket, root, 'PUT', `/api/0/users/${userId}/`, { isSuperuser: true })).status,
      ).toBe(200);
      expect(
        (await call(picket, root, 'PUT', `/api/0/users/${userId}/`, { isSuperuser: false })).status,
      ).toBe(200);

      const me = (await call(picket, root, 'GET', '/api/0/auth/')).body as { user: { id: string } };
      expect(
        (await call(picket, root, 'PUT', `/api/0/users/${me.user.id}/`, { isSuperuser: false }))
          .status,
      ).toBe(403);
      expect(
        (await call(picket, root, 'PUT', `/api/0/users/${me.user.id}/`, { isActive: false }))
          .status,
      ).toBe(403);
      expect(
        (await call(picket, root, 'PUT', '/api/0/users/999999/', { isActive: false })).status,
      ).toBe(404);

      // A superuser sees no organization it is not a member of.
      expect(
        (await call(picket, root, 'GET', `/api/0/organizations/${acme.orgSlug}/`)).status,
      ).toBe(404);

      const events = (await readAudit(picket, databaseUrl)).map((row) => row.event);
      for (const event of [
        'user.create',
        'user.deactivate',
        'user.reactivate',
        'user.superuser-grant',
        'user.superuser-revoke',
      ]) {
        expect(events).toContain(event);
      }
    });
  });

  it('records invitation events in the audit log', async () => {
    const events = (await readAudit(picket, databaseUrl)).map((row) => row.event);
    for (const event of ['member.invite', 'member.accept-invite', 'member.add', 'invite.remove']) {
      expect(events).toContain(event);
    }
  });
});
