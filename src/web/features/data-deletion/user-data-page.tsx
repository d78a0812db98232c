import './data-deletion.css';

import { useMutation, useQuery } from '@tanstack/react-query';
import { Fragment, useState, type SubmitEvent } from 'react';
import { useParams } from 'react-router';

import type { UserDataDeleteResult } from '../../../shared/api/data-deletion';
import { Panel } from '../../components/panel';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { deleteUserData } from './api';

const COUNT_LABELS: [keyof UserDataDeleteResult, string][] = [
  ['projects', 'Projects searched'],
  ['events', 'Events'],
  ['transactions', 'Transactions'],
  ['spans', 'Spans'],
  ['attachments', 'Attachments'],
  ['feedback', 'Feedback and user reports'],
  ['sessionUsers', 'Release-health users'],
  ['issuesUpdated', 'Issues recounted'],
  ['issuesDeleted', 'Issues deleted (no events left)'],
];

/**
 * Renders the form that deletes one end user's events and related data by the user id or
 * e-mail that SDKs sent, in all projects or one, and shows what was deleted.
 */
export function UserDataPage() {
  const { orgSlug = '' } = useParams();
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  const [userId, setUserId] = useState('');
  const [email, setEmail] = useState('');
  const [projectSlug, setProjectSlug] = useState('');
  const [confirmed, setConfirmed] = useState(false);
  useDocumentTitle(["Delete a User's Data", orgSlug]);

  const deleteMutation = useMutation({
    mutationFn: () =>
      deleteUserData(orgSlug, {
        ...(userId.trim() === '' ? {} : { userId: userId.trim() }),
        ...(email.trim() === '' ? {} : { email: email.trim() }),
        ...(projectSlug === '' ? {} : { projects: [projectSlug] }),
      }),
    onSuccess: () => {
      setConfirmed(false);
    },
  });
  const hasUser = userId.trim() !== '' || email.trim() !== '';

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    if (hasUser && confirmed) {
      deleteMutation.mutate();
    }
  };

  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <div>
          <div className="page-kicker">{orgSlug}</div>
          <h1>Delete a User&apos;s Data</h1>
        </div>
      </div>
      <p className="page-intro">
        Deletes every event and transaction whose user id or e-mail matches, with their attachments,
        the person&apos;s feedback and user reports, and their release-health user entries. Issue
        counts are updated, and issues left without events are deleted. The audit log records the
        counts and a hash of the e-mail, not the e-mail itself.
      </p>
      <Panel title="Person" className="danger-zone">
        <form className="form" onSubmit={handleSubmit}>
          <label className="field">
            <span className="field-label">User id (user.id)</span>
            <input
              name="userId"
              autoComplete="off"
              maxLength={200}
              value={userId}
              onChange={(event) => {
                setUserId(event.target.value);
              }}
            />
          </label>
          <label className="field">
            <span className="field-label">E-mail (user.email)</span>
            <input
              name="email"
              type="email"
              autoComplete="off"
              maxLength={320}
              value={email}
              onChange={(event) => {
                setEmail(event.target.value);
              }}
            />
          </label>
          <label className="field">
            <span className="field-label">Projects</span>
            <select
              name="project"
              value={projectSlug}
              onChange={(event) => {
                setProjectSlug(event.target.value);
              }}
            >
              <option value="">All projects</option>
              {(projectsQuery.data ?? []).map((project) => (
                <option key={project.id} value={project.slug}>
                  {project.slug}
                </option>
              ))}
            </select>
          </label>
          <label className="confirm-checkbox">
            <input
              type="checkbox"
              name="confirm"
              checked={confirmed}
              onChange={(event) => {
                setConfirmed(event.target.checked);
              }}
            />
            I understand that the deleted data cannot be restored
          </label>
          {deleteMutation.isError ? (
            <div className="alert alert-error" role="alert">
              {describeFailure("delete the user's data", deleteMutation.error)}
            </div>
          ) : null}
          <div className="form-actions">
            <button
              type="submit"
              className="button button-danger"
              disabled={!hasUser || !confirmed || deleteMutation.isPending}
            >
              {deleteMutation.isPending ? 'Deleting…' : "Delete this user's data"}
            </button>
          </div>
        </form>
      </Panel>
      {deleteMutation.isSuccess ? (
        <Panel title="Deleted">
          <dl className="deletion-counts" aria-label="Deleted items">
            {COUNT_LABELS.map(([key, label]) => (
              <Fragment key={key}>
                <dt>{label}</dt>
                <dd data-count={key}>{deleteMutation.data[key]}</dd>
              </Fragment>
            ))}
          </dl>
        </Panel>
      ) : null}
    </main>
  );
}
