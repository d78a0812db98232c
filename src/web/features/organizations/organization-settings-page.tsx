import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useNavigate, useParams } from 'react-router';

import type { OrgRole, OrganizationSettings } from '../../../shared/api/members';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import {
  ORG_ROLE_ORDER,
  ROLE_LABELS,
  deleteOrganization,
  organizationSettingsOptions,
  updateOrganization,
} from '../members/members-api';

/** General settings of an organization: name, membership, default role, two-factor, deletion. */
export function OrganizationSettingsPage() {
  const { orgSlug = '' } = useParams();
  const settingsQuery = useQuery(organizationSettingsOptions(orgSlug));
  useDocumentTitle(['General settings', orgSlug]);

  if (settingsQuery.isPending) {
    return <LoadingIndicator />;
  }
  if (settingsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load the organization's settings."
          onRetry={() => void settingsQuery.refetch()}
        />
      </main>
    );
  }
  return <SettingsForm key={settingsQuery.data.slug} settings={settingsQuery.data} />;
}

function SettingsForm({ settings }: { settings: OrganizationSettings }) {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const [name, setName] = useState(settings.name);
  const [openMembership, setOpenMembership] = useState(settings.openMembership);
  const [defaultRole, setDefaultRole] = useState<OrgRole>(settings.defaultRole);
  const [require2FA, setRequire2FA] = useState(settings.require2FA);
  const [confirmation, setConfirmation] = useState('');
  const canEdit = settings.access.includes('org:write');
  const canDelete = settings.access.includes('org:admin');
  const ownRank = settings.orgRole === undefined ? -1 : ORG_ROLE_ORDER.indexOf(settings.orgRole);

  const saveMutation = useMutation({
    mutationFn: () =>
      updateOrganization(settings.slug, {
        name: name.trim(),
        openMembership,
        defaultRole,
        require2FA,
      }),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: ['organizations'] });
    },
  });
  const deleteMutation = useMutation({
    mutationFn: () => deleteOrganization(settings.slug),
    onSuccess: async () => {
      queryClient.removeQueries({ queryKey: ['organizations', settings.slug] });
      await queryClient.invalidateQueries({ queryKey: queryKeys.organizations });
      await navigate('/');
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    saveMutation.mutate();
  }

  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <h1>General settings</h1>
      </div>
      <form
        className="form panel panel-padded"
        onSubmit={handleSubmit}
        aria-label="General settings"
      >
        <fieldset disabled={!canEdit}>
          <label className="field">
            <span className="field-label">Name</span>
            <input
              name="name"
              required
              maxLength={64}
              value={name}
              onChange={(event) => {
                setName(event.target.value);
              }}
            />
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              name="openMembership"
              checked={openMembership}
              onChange={(event) => {
                setOpenMembership(event.target.checked);
              }}
            />
            Open membership: members may join any team and see every project
          </label>
          <label className="field">
            <span className="field-label">Default role of invitations</span>
            <select
              name="defaultRole"
              value={defaultRole}
              onChange={(event) => {
                setDefaultRole(event.target.value as OrgRole);
              }}
            >
              {ORG_ROLE_ORDER.filter((role) => ORG_ROLE_ORDER.indexOf(role) <= ownRank).map(
                (role) => (
                  <option key={role} value={role}>
                    {ROLE_LABELS[role]}
                  </option>
                ),
              )}
            </select>
          </label>
          <label className="checkbox">
            <input
              type="checkbox"
              name="require2FA"
              checked={require2FA}
              onChange={(event) => {
                setRequire2FA(event.target.checked);
              }}
            />
            Require two-factor authentication of every member
          </label>
          {saveMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure('save the settings', saveMutation.error)}
            </div>
          ) : null}
          {saveMutation.isSuccess ? (
            <div className="alert alert-info" role="status">
              Settings saved.
            </div>
          ) : null}
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            Save
          </button>
        </fieldset>
      </form>

      {canDelete ? (
        <section className="panel panel-padded" aria-label="Delete organization">
          <h2>Delete organization</h2>
          <p>
            This deletes {settings.name} with all its teams, projects and events. Type{' '}
            <code>{settings.slug}</code> to confirm.
          </p>
          <input
            aria-label="Organization slug to confirm"
            value={confirmation}
            onChange={(event) => {
              setConfirmation(event.target.value);
            }}
          />{' '}
          <button
            type="button"
            className="button button-danger"
            disabled={confirmation !== settings.slug || deleteMutation.isPending}
            onClick={() => {
              deleteMutation.mutate();
            }}
          >
            Delete organization
          </button>
          {deleteMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure('delete the organization', deleteMutation.error)}
            </div>
          ) : null}
        </section>
      ) : null}
    </main>
  );
}
