import { useQuery } from '@tanstack/react-query';
import { useId, useState } from 'react';

import type { Issue } from '../../../shared/api/issues';
import { teamsOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { membersOptions, useIssueUpdate } from './issue-workflow-api';

interface AssigneePickerProps {
  issue: Issue;
  orgSlug: string;
}

/** Shows the assignee and lets the user pick a member or team, searched by name or e-mail. */
export function AssigneePicker({ issue, orgSlug }: AssigneePickerProps) {
  const [search, setSearch] = useState('');
  const [isOpen, setOpen] = useState(false);
  const members = useQuery({ ...membersOptions(orgSlug), enabled: isOpen });
  const teams = useQuery({ ...teamsOptions(orgSlug), enabled: isOpen });
  const mutation = useIssueUpdate(orgSlug, issue.id);
  const searchId = useId();
  const needle = search.trim().toLowerCase();

  const memberChoices = (members.data ?? []).filter(
    (member) =>
      needle === '' ||
      member.name.toLowerCase().includes(needle) ||
      member.email.toLowerCase().includes(needle),
  );
  const teamChoices = (teams.data ?? []).filter(
    (team) => needle === '' || team.slug.toLowerCase().includes(needle),
  );

  function assign(value: string) {
    mutation.mutate({ assignedTo: value });
    setOpen(false);
  }

  const assignee = issue.assignedTo;
  const label =
    assignee === null
      ? 'Unassigned'
      : assignee.type === 'team'
        ? `#${assignee.name}`
        : assignee.name || (assignee.email ?? assignee.id);

  return (
    <div className="assignee-picker">
      <details
        open={isOpen}
        onToggle={(event) => {
          setOpen(event.currentTarget.open);
        }}
        className="menu"
      >
        <summary className="button" aria-label={`Assignee: ${label}`}>
          Assignee: {label}
        </summary>
        <div className="menu-body">
          <label className="field-label" htmlFor={searchId}>
            Search members and teams
          </label>
          <input
            id={searchId}
            type="search"
            value={search}
            onChange={(event) => {
              setSearch(event.target.value);
            }}
          />
          {members.isPending || teams.isPending ? <p className="muted">Loading…</p> : null}
          {members.isError || teams.isError ? (
            <p className="muted">Unable to load members and teams.</p>
          ) : null}
          <ul className="menu-list" aria-label="Assignees">
            {assignee === null ? null : (
              <li>
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    assign('');
                  }}
                >
                  Clear assignee
                </button>
              </li>
            )}
            {memberChoices.map((member) => (
              <li key={`user:${member.user.id}`}>
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    assign(`user:${member.user.id}`);
                  }}
                >
                  {member.name} <span className="muted">{member.email}</span>
                </button>
              </li>
            ))}
            {teamChoices.map((team) => (
              <li key={`team:${team.id}`}>
                <button
                  type="button"
                  className="menu-item"
                  onClick={() => {
                    assign(`team:${team.id}`);
                  }}
                >
                  #{team.slug}
                </button>
              </li>
            ))}
          </ul>
        </div>
      </details>
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('assign the issue', mutation.error)}
        </div>
      ) : null}
    </div>
  );
}
