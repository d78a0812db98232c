import { describe, expect, it } from 'vitest';

import { ROLE_SCOPES } from '../accounts/scopes.js';
import {
  ORG_ROLES,
  assignableRoles,
  checkMemberAction,
  isGlobalRole,
  type MemberAction,
  type OrgRole,
} from './roles.js';

const rank = (role: OrgRole) => ORG_ROLES.indexOf(role);
const canManageMembers = (role: OrgRole) => role === 'manager' || role === 'owner';

describe('role scopes', () => {
  // Sentry's permission matrix, as its membership documentation lists it.
  const matrix: [string, string, OrgRole[]][] = [
    ['act on issues', 'event:write', ['member', 'admin', 'manager', 'owner']],
    ['read projects', 'project:read', ['member', 'admin', 'manager', 'owner']],
    ['change project settings', 'project:write', ['admin', 'manager', 'owner']],
    ['add and remove teams', 'team:write', ['admin', 'manager', 'owner']],
    ['add, remove and change members', 'member:admin', ['manager', 'owner']],
    ['invite members', 'member:write', ['manager', 'owner']],
    ['change organization settings', 'org:write', ['manager', 'owner']],
    ['delete the organization', 'org:admin', ['owner']],
  ];

  for (const [action, scope, roles] of matrix) {
    for (const role of ORG_ROLES) {
      it(`${role} ${roles.includes(role) ? 'may' : 'may not'} ${action}`, () => {
        expect((ROLE_SCOPES[role] as readonly string[]).includes(scope)).toBe(roles.includes(role));
      });
    }
  }

  it('gives all projects to managers and owners only', () => {
    expect(ORG_ROLES.filter(isGlobalRole)).toEqual(['manager', 'owner']);
  });
});

describe('assignableRoles', () => {
  it.each([
    ['member', []],
    ['admin', []],
    ['manager', ['member', 'admin', 'manager']],
    ['owner', ['member', 'admin', 'manager', 'owner']],
    ['org-token', []],
  ] as const)('%s may assign %j', (actor, expected) => {
    expect(assignableRoles(actor)).toEqual(expected);
  });
});

describe('checkMemberAction', () => {
  // Every actor against every target and every new role, several owners present.
  for (const actor of ORG_ROLES) {
    for (const target of ORG_ROLES) {
      for (const role of ORG_ROLES) {
        const expected =
          canManageMembers(actor) && rank(target) <= rank(actor) && rank(role) <= rank(actor);
        it(`${actor} changing ${target} to ${role}: ${expected ? 'allowed' : 'denied'}`, () => {
          const action: MemberAction = {
            kind: 'change-role',
            targetRole: target,
            role,
            ownerCount: 2,
          };
          expect(checkMemberAction(actor, action) === undefined).toBe(expected);
        });
      }

      const removable = canManageMembers(actor) && rank(target) <= rank(actor);
      it(`${actor} removing ${target}: ${removable ? 'allowed' : 'denied'}`, () => {
        const action: MemberAction = { kind: 'remove', targetRole: target, ownerCount: 2 };
        expect(checkMemberAction(actor, action) === undefined).toBe(removable);
      });

      it(`${actor} changing teams of ${target}: ${removable ? 'allowed' : 'denied'}`, () => {
        const action: MemberAction = { kind: 'edit-teams', targetRole: target };
        expect(checkMemberAction(actor, action) === undefined).toBe(removable);
      });

      it(`${actor} inviting ${target}: ${removable ? 'allowed' : 'denied'}`, () => {
        expect(checkMemberAction(actor, { kind: 'invite', role: target }) === undefined).toBe(
          removable,
        );
      });

      it(`${actor} removing an invitation for ${target}`, () => {
        const action: MemberAction = { kind: 'remove-invite', inviteRole: target };
        expect(checkMemberAction(actor, action) === undefined).toBe(removable);
      });
    }
  }

  it('denies a manager raising an invitation to owner', () => {
    const action: MemberAction = { kind: 'edit-invite', inviteRole: 'member', role: 'owner' };
    expect(checkMemberAction('manager', action)).toMatch(/above your own/);
  });

  it('denies a manager editing an owner invitation', () => {
    const action: MemberAction = { kind: 'edit-invite', inviteRole: 'owner', role: 'member' };
    expect(checkMemberAction('manager', action)).toMatch(/above your own/);
  });

  it('denies a manager promoting itself to owner', () => {
    const action: MemberAction = {
      kind: 'change-role',
      targetRole: 'manager',
      role: 'owner',
      ownerCount: 1,
    };
    expect(checkMemberAction('manager', action)).toMatch(/above your own role/);
  });

  it('denies an organization token everything but leaving', () => {
    expect(checkMemberAction('org-token', { kind: 'invite', role: 'member' })).toBeDefined();
    expect(
      checkMemberAction('org-token', { kind: 'remove', targetRole: 'member', ownerCount: 2 }),
    ).toBeDefined();
  });

  it('rejects an unknown role name', () => {
    expect(checkMemberAction('owner', { kind: 'invite', role: 'superuser' })).toMatch(
      /Invalid role/,
    );
  });

  describe('last owner', () => {
    it('cannot be demoted', () => {
      const action: MemberAction = {
        kind: 'change-role',
        targetRole: 'owner',
        role: 'manager',
        ownerCount: 1,
      };
      expect(checkMemberAction('owner', action)).toMatch(/last owner/);
    });

    it('cannot be removed', () => {
      const action: MemberAction = { kind: 'remove', targetRole: 'owner', ownerCount: 1 };
      expect(checkMemberAction('owner', action)).toMatch(/last owner/);
    });

    it('cannot leave', () => {
      const action: MemberAction = { kind: 'leave', ownRole: 'owner', ownerCount: 1 };
      expect(checkMemberAction('owner', action)).toMatch(/last owner/);
    });

    it('may be demoted when a second owner exists', () => {
      const action: MemberAction = {
        kind: 'change-role',
        targetRole: 'owner',
        role: 'member',
        ownerCount: 2,
      };
      expect(checkMemberAction('owner', action)).toBeUndefined();
    });

    it('keeps an owner that stays owner', () => {
      const action: MemberAction = {
        kind: 'change-role',
        targetRole: 'owner',
        role: 'owner',
        ownerCount: 1,
      };
      expect(checkMemberAction('owner', action)).toBeUndefined();
    });
  });

  it.each(ORG_ROLES)('lets a %s leave', (role) => {
    expect(
      checkMemberAction(role, { kind: 'leave', ownRole: role, ownerCount: 2 }),
    ).toBeUndefined();
  });
});
