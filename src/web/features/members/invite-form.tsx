import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { Member, OrgRole } from '../../../shared/api/members';
import { teamsOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { InviteLinkNotice } from './invite-link-notice';
import { ROLE_LABELS, inviteMember, memberKeys } from './members-api';

interface InviteFormProps {
  orgSlug: string;
  roles: OrgRole[];
  defaultRole: OrgRole;
}

/** Form that invites an e-mail address with a role and teams, then shows the link to share. */
export function InviteForm({ orgSlug, roles, defaultRole }: InviteFormProps) {
  const queryClient = useQueryClient();
  const teamsQuery = useQuery(teamsOptions(orgSlug));
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<OrgRole>(roles.includes(defaultRole) ? defaultRole : 'member');
  const [teams, setTeams] = useState<string[]>([]);
  const [created, setCreated] = useState<Member | undefined>(undefined);

  const inviteMutation = useMutation({
    mutationFn: () => inviteMember(orgSlug, { email: email.trim(), orgRole: role, teams }),
    onSuccess: async (member) => {
      setCreated(member);
      setEmail('');
      setTeams([]);
      await queryClient.invalidateQueries({ queryKey: memberKeys.members(orgSlug) });
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    inviteMutation.mutate();
  }

  return (
    <section className="panel panel-padded">
      <h2>Invite a member</h2>
      <form className="form" onSubmit={handleSubmit} aria-label="Invite a member">
        <label className="field">
          <span className="field-label">E-mail</span>
          <input
            name="email"
            type="email"
            required
            maxLength={320}
            value={email}
            onChange={(event) => {
              setEmail(event.target.value);
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">Role</span>
          <select
            name="role"
            value={role}
            onChange={(event) => {
              setRole(event.target.value as OrgRole);
            }}
          >
            {roles.map((candidate) => (
              <option key={candidate} value={candidate}>
                {ROLE_LABELS[candidate]}
              </option>
            ))}
          </select>
        </label>
        {teamsQuery.data === undefined || teamsQuery.data.length === 0 ? null : (
          <fieldset className="field">
            <legend className="field-label">Teams</legend>
            {teamsQuery.data.map((team) => (
              <label key={team.slug} className="checkbox">
                <input
                  type="checkbox"
                  checked={teams.includes(team.slug)}
                  onChange={(event) => {
                    setTeams(
                      event.target.checked
                        ? [...teams, team.slug]
                        : teams.filter((slug) => slug !== team.slug),
                    );
                  }}
                />
                #{team.slug}
              </label>
            ))}
          </fieldset>
        )}
        {inviteMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('invite', inviteMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={inviteMutation.isPending}
          >
            Send invitation
          </button>
        </div>
      </form>
      {created === undefined ? null : <InviteLinkNotice member={created} />}
    </section>
  );
}
