import { useQuery } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { Issue, IssueUpdateRequest } from '../../../shared/api/issues';
import { describeFailure } from '../../lib/user-message';
import { projectReleasesOptions, useIssueUpdate } from './issue-workflow-api';

interface IssueStatusControlProps {
  issue: Issue;
  orgSlug: string;
}

/** Archive durations offered, in minutes. */
const ARCHIVE_DURATIONS: { label: string; minutes: number }[] = [
  { label: 'For 30 minutes', minutes: 30 },
  { label: 'For 2 hours', minutes: 120 },
  { label: 'For 24 hours', minutes: 1_440 },
  { label: 'For 1 week', minutes: 10_080 },
];

/** Windows offered for count and user conditions, in minutes; 0 means no window. */
const CONDITION_WINDOWS: { label: string; minutes: number }[] = [
  { label: 'in total', minutes: 0 },
  { label: 'per hour', minutes: 60 },
  { label: 'per day', minutes: 1_440 },
  { label: 'per week', minutes: 10_080 },
];

/**
 * Renders the status controls. Resolve applies now, in the next release or in a chosen release.
 * Archive lasts forever, until escalating, until a number of events or users, or for a time.
 */
export function IssueStatusControl({ issue, orgSlug }: IssueStatusControlProps) {
  const mutation = useIssueUpdate(orgSlug, issue.id);
  const isBusy = mutation.isPending;
  const isResolved = issue.status === 'resolved';
  const apply = (update: IssueUpdateRequest) => {
    mutation.mutate(update);
  };

  return (
    <div className="issue-status-control">
      <div className="button-group">
        <button
          type="button"
          className={`button ${isResolved ? 'button-active' : 'button-primary'}`}
          disabled={isBusy}
          onClick={() => {
            apply({ status: isResolved ? 'unresolved' : 'resolved' });
          }}
        >
          {isResolved ? '✓ Unresolve' : '✓ Resolve'}
        </button>
      </div>
      {isResolved ? null : (
        <ResolveMenu issue={issue} orgSlug={orgSlug} disabled={isBusy} onApply={apply} />
      )}
      {issue.status === 'ignored' ? (
        <button
          type="button"
          className="button button-active"
          disabled={isBusy}
          onClick={() => {
            apply({ status: 'unresolved' });
          }}
        >
          Unarchive
        </button>
      ) : (
        <ArchiveMenu disabled={isBusy} onApply={apply} />
      )}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('change the status', mutation.error)}
        </div>
      ) : null}
    </div>
  );
}

interface MenuProps {
  disabled: boolean;
  onApply: (update: IssueUpdateRequest) => void;
}

function ResolveMenu({ issue, orgSlug, disabled, onApply }: MenuProps & IssueStatusControlProps) {
  const [isOpen, setOpen] = useState(false);
  const [release, setRelease] = useState('');
  const releases = useQuery({
    ...projectReleasesOptions(orgSlug, issue.project.slug),
    enabled: isOpen,
  });

  function submitRelease(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (release !== '') {
      onApply({ status: 'resolved', statusDetails: { inRelease: release } });
    }
  }

  return (
    <details
      className="menu"
      open={isOpen}
      onToggle={(event) => {
        setOpen(event.currentTarget.open);
      }}
    >
      <summary className="button">More resolve options</summary>
      <div className="menu-body">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => {
            onApply({ status: 'resolvedInNextRelease' });
          }}
        >
          Resolve in next release
        </button>
        <form className="menu-form" onSubmit={submitRelease}>
          <label className="field-label" htmlFor="resolve-release">
            Resolve in release
          </label>
          <select
            id="resolve-release"
            value={release}
            onChange={(event) => {
              setRelease(event.target.value);
            }}
          >
            <option value="">
              {releases.isPending ? 'Loading releases…' : 'Choose a release'}
            </option>
            {(releases.data ?? []).map((candidate) => (
              <option key={candidate.version} value={candidate.version}>
                {candidate.shortVersion || candidate.version}
              </option>
            ))}
          </select>
          <button type="submit" className="button" disabled={disabled || release === ''}>
            Resolve in this release
          </button>
          {releases.isError ? <p className="muted">Unable to load releases.</p> : null}
        </form>
      </div>
    </details>
  );
}

function ArchiveMenu({ disabled, onApply }: MenuProps) {
  return (
    <details className="menu">
      <summary className="button">Archive</summary>
      <div className="menu-body">
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => {
            onApply({ status: 'ignored', substatus: 'archived_forever' });
          }}
        >
          Forever
        </button>
        <button
          type="button"
          className="button"
          disabled={disabled}
          onClick={() => {
            onApply({
              status: 'ignored',
              substatus: 'archived_until_escalating',
              statusDetails: { ignoreUntilEscalating: true },
            });
          }}
        >
          Until escalating
        </button>
        {ARCHIVE_DURATIONS.map((duration) => (
          <button
            key={duration.minutes}
            type="button"
            className="button"
            disabled={disabled}
            onClick={() => {
              onApply({ status: 'ignored', statusDetails: { ignoreDuration: duration.minutes } });
            }}
          >
            {duration.label}
          </button>
        ))}
        <ConditionForm kind="occurrences" disabled={disabled} onApply={onApply} />
        <ConditionForm kind="users" disabled={disabled} onApply={onApply} />
      </div>
    </details>
  );
}

function ConditionForm({ kind, disabled, onApply }: MenuProps & { kind: 'occurrences' | 'users' }) {
  const [count, setCount] = useState('100');
  const [windowMinutes, setWindowMinutes] = useState(0);
  const id = `archive-${kind}`;
  const parsed = Number(count);
  const isValid = Number.isInteger(parsed) && parsed > 0;

  function submit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    if (!isValid) {
      return;
    }
    const window = windowMinutes === 0 ? undefined : windowMinutes;
    onApply({
      status: 'ignored',
      statusDetails:
        kind === 'occurrences'
          ? { ignoreCount: parsed, ignoreWindow: window }
          : { ignoreUserCount: parsed, ignoreUserWindow: window },
    });
  }

  return (
    <form className="menu-form" onSubmit={submit}>
      <label className="field-label" htmlFor={`${id}-count`}>
        Until this many {kind === 'occurrences' ? 'occurrences' : 'users'}
      </label>
      <div className="menu-form-row">
        <input
          id={`${id}-count`}
          type="number"
          min={1}
          step={1}
          value={count}
          onChange={(event) => {
            setCount(event.target.value);
          }}
        />
        <select
          aria-label={`Window of the ${kind} condition`}
          value={windowMinutes}
          onChange={(event) => {
            setWindowMinutes(Number(event.target.value));
          }}
        >
          {CONDITION_WINDOWS.map((option) => (
            <option key={option.minutes} value={option.minutes}>
              {option.label}
            </option>
          ))}
        </select>
        <button type="submit" className="button" disabled={disabled || !isValid}>
          Archive
        </button>
      </div>
    </form>
  );
}
