/**
 * Wire types of organization members, invitations, teams, organization settings and the
 * instance's user administration. Shapes follow Sentry's `/api/0/` responses.
 */

export type OrgRole = 'member' | 'admin' | 'manager' | 'owner';
export type TeamRole = 'contributor' | 'admin';

export interface MemberUser {
  id: string;
  name: string;
  email: string;
  username: string;
}

export interface MemberTeamRole {
  teamSlug: string;
  /** `contributor` or `admin`. */
  role: TeamRole;
}

/**
 * A member or a pending invitation (`pending` true, `user` null). Invitation ids start with `i`,
 * so that the two never collide under `/members/{id}/`.
 */
export interface Member {
  id: string;
  email: string;
  name: string;
  orgRole: OrgRole;
  /** Sentry's older name of `orgRole`. */
  role: OrgRole;
  roleName: string;
  pending: boolean;
  expired: boolean;
  inviteStatus: 'approved';
  dateCreated: string;
  user: MemberUser | null;
  teams: string[];
  teamRoles: MemberTeamRole[];
  /** Set only in the response that created or regenerated an invitation. */
  inviteLink?: string;
  /** Whether the invitation e-mail went out; only in the response that created or regenerated it. */
  inviteSent?: boolean;
}

/** Response of `GET /api/0/organizations/{org}/members/{id}/`, with the roles the caller may assign. */
export interface MemberDetails extends Member {
  allowedRoles: OrgRole[];
}

export interface InviteMemberRequest {
  email: string;
  orgRole?: OrgRole;
  teams?: string[];
  /** Send the invitation e-mail when SMTP is configured; default true. */
  sendInvite?: boolean;
}

export interface UpdateMemberRequest {
  orgRole?: OrgRole;
  role?: OrgRole;
  teams?: string[];
  teamRoles?: MemberTeamRole[];
  /** Issue a new link for a pending invitation; the old link stops working. */
  regenerate?: boolean;
}

/** Response of `GET /api/0/accept-invite/{id}/{token}/`. */
export interface InviteDetails {
  organization: { slug: string; name: string };
  email: string;
  orgRole: OrgRole;
  /** Whether an account with the invited e-mail exists (then it must log in to accept). */
  existingUser: boolean;
  /** Whether the caller is logged in as the invited e-mail address. */
  isInvitee: boolean;
  /** E-mail of the logged-in caller, or null. */
  currentUserEmail: string | null;
}

export interface AcceptInviteRequest {
  /** Name and password of a new account; needed only when no account has the e-mail. */
  name?: string;
  password?: string;
}

export interface AcceptInviteResponse {
  organization: { slug: string; name: string };
  user: { id: string; email: string };
  /** True when the accept created the account, which must then log in. */
  createdUser: boolean;
}

export interface TeamMember extends Member {
  teamRole: TeamRole;
}

export interface OrganizationSettings {
  id: string;
  slug: string;
  name: string;
  orgRole?: OrgRole;
  openMembership: boolean;
  defaultRole: OrgRole;
  require2FA: boolean;
  /** Scopes the caller holds in this organization. */
  access: string[];
}

export interface UpdateOrganizationRequest {
  name?: string;
  slug?: string;
  openMembership?: boolean;
  defaultRole?: OrgRole;
  require2FA?: boolean;
}

/** A user of the instance, as `GET /api/0/users/` lists it for superusers. */
export interface InstanceUser {
  id: string;
  email: string;
  name: string;
  isActive: boolean;
  isSuperuser: boolean;
  dateJoined: string;
  lastLogin: string | null;
}

export interface CreateUserRequest {
  email: string;
  name?: string;
  password: string;
  isSuperuser?: boolean;
}

export interface UpdateUserRequest {
  isActive?: boolean;
  isSuperuser?: boolean;
}
