import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { Member, OrgRole, OrganizationSettings } from '../../../shared/api/members';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { currentUserOptions, queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { InviteForm } from './invite-form';
import { InviteLinkNotice } from './invite-link-notice';
import {
  ORG_ROLE_ORDER,
  ROLE_LABELS,
  grantableRoles,
  memberKeys,
  membersOptions,
  organizationSettingsOptions,
  removeMember,
  updateMember,
} from './members-api';

/** Renders the organization's members and pending invitations, with invite, role change, remove and leave. */
export function MembersPage() {
  const { orgSlug = '' } = useParams();
  const settingsQuery = useQuery(organizationSettingsOptions(orgSlug));
  const membersQuery = useQuery(membersOptions(orgSlug));
  const userQuery = useQuery(currentUserOptions());
  useDocumentTitle(['Members', orgSlug]);

  if (membersQuery.isPending || settingsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (membersQuery.isError || settingsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the organization's members."
          onRetry={() => void membersQuery.refetch()}
        />
      </main>
    );
  }

  const settings = settingsQuery.data;
  const roles = grantableRoles(settings);
  const ownEmail = userQuery.data?.email;

  return (
    <main className="page">
      <div className="page-heading">
        <h1>Members</h1>
      </div>
      {roles.length === 0 ? null : (
        <InviteForm orgSlug={orgSlug} roles={roles} defaultRole={settings.defaultRole} />
      )}
      <table className="data-table" aria-label="Members">
        <thead>
          <tr>
            <th>Member</th>
            <th>Role</th>
            <th>Teams</th>
            <th aria-label="Actions" />
          </tr>
        </thead>
        <tbody>
          {membersQuery.data.map((member) => (
            <MemberRow
              key={member.id}
              orgSlug={orgSlug}
              member={member}
              settings={settings}
              isSelf={member.user !== null && member.email === ownEmail}
            />
          ))}
        </tbody>
      </table>
    </main>
  );
}

interface MemberRowProps {
  orgSlug: string;
  member: Member;
  settings: OrganizationSettings;
  isSelf: boolean;
}

function inviteStatus(member: Member): string {
  if (!member.pending) {
    return '';
  }
  return member.expired ? ' · invitation expired' : ' · invited';
}

function MemberRow({ orgSlug, member, settings, isSelf }: MemberRowProps) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [regenerated, setRegenerated] = useState<Member | undefined>(undefined);
  const ownRank = settings.orgRole === undefined ? -1 : ORG_ROLE_ORDER.indexOf(settings.orgRole);
  const targetRank = ORG_ROLE_ORDER.indexOf(member.orgRole);
  const canManage =
    settings.access.includes(member.pending ? 'member:write' : 'member:admin') &&
    targetRank <= ownRank;
  const roles = grantableRoles(settings);

  const refresh = () => queryClient.invalidateQueries({ queryKey: memberKeys.members(orgSlug) });
  const roleMutation = useMutation({
    mutationFn: (orgRole: OrgRole) => updateMember(orgSlug, member.id, { orgRole }),
    onSuccess: refresh,
  });
  const linkMutation = useMutation({
    mutationFn: () => updateMember(orgSlug, member.id, { regenerate: true }),
    onSuccess: setRegenerated,
  });
  const removeMutation = useMutation({
    mutationFn: () => removeMember(orgSlug, isSelf ? 'me' : member.id),
    onSuccess: async () => {
      if (isSelf) {
        await queryClient.invalidateQueries({ queryKey: queryKeys.organizations });
        await navigate('/');
        return;
      }
      await refresh();
    },
  });
  const error = roleMutation.error ?? linkMutation.error ?? removeMutation.error;

  function confirmRemove() {
    const question = isSelf
      ? `Leave ${settings.name}?`
      : member.pending
        ? `Cancel the invitation of ${member.email}?`
        : `Remove ${member.email} from ${settings.name}?`;
    if (window.confirm(question)) {
      removeMutation.mutate();
    }
  }

  return (
    <tr data-member={member.email}>
      <td>
        <div>{member.name}</div>
        <div className="text-muted">
          {member.email}
          {inviteStatus(member)}
        </div>
        {regenerated === undefined ? null : <InviteLinkNotice member={regenerated} />}
        {error === null ? null : (
          <div className="alert alert-error" role="alert">
            {describeFailure('change this member', error)}
          </div>
        )}
      </td>
      <td>
        {canManage && !isSelf ? (
          <select
            aria-label={`Role of ${member.email}`}
            value={member.orgRole}
            disabled={roleMutation.isPending}
            onChange={(event) => {
              roleMutation.mutate(event.target.value as OrgRole);
            }}
          >
            {roles.map((role) => (
              <option key={role} value={role}>
                {ROLE_LABELS[role]}
              </option>
            ))}
          </select>
        ) : (
          member.roleName
        )}
      </td>
      <td>{member.teams.map((team) => `#${team}`).join(', ')}</td>
      <td className="button-group">
        {member.pending && canManage ? (
          <button
            type="button"
            className="button"
            onClick={() => {
              linkMutation.mutate();
            }}
          >
            New link
          </button>
        ) : null}
        {isSelf ? (
          <button type="button" className="button" onClick={confirmRemove}>
            Leave
          </button>
        ) : canManage ? (
          <button type="button" className="button button-danger" onClick={confirmRemove}>
            {member.pending ? 'Cancel invitation' : 'Remove'}
          </button>
        ) : null}
      </td>
    </tr>
  );
}
