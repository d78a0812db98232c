import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';

import { RULE_CATALOG } from '../../../shared/api/alerts';
import { Panel } from '../../components/panel';
import { projectsOptions, teamsOptions } from '../../lib/query-options';
import { describeFailure } from '../../lib/user-message';
import { membersOptions } from '../members/members-api';
import {
  alertKeys,
  createRule,
  deleteRule,
  environmentsOptions,
  ruleDetailsPage,
  ruleListPage,
  updateRule,
} from './alerts-api';
import { ACTION_INTERVALS, draftToInput, draftToPreviewInput, type RuleDraft } from './rule-draft';
import { otherErrorMessages, readFieldErrors } from './rule-errors';
import { FieldErrorText, MatchSelect, RuleNodeSection } from './rule-node-section';
import { RulePreview } from './rule-preview';

interface RuleFormProps {
  orgSlug: string;
  initialDraft: RuleDraft;
  /** The saved rule's id, or null for a new rule. */
  ruleId: string | null;
}

/**
 * Renders the rule editor: name, project, environment, conditions, filters, actions, action
 * interval and status, with the server's validation errors beside each field and a preview
 * of the issues the draft would have fired for. Saving opens the rule's details page.
 */
export function RuleForm({ orgSlug, initialDraft, ruleId }: RuleFormProps) {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [draft, setDraft] = useState(initialDraft);
  const formId = useId();
  const fieldId = (field: string) => `${formId}-${field}`;
  const projectsQuery = useQuery({ ...projectsOptions(orgSlug), enabled: ruleId === null });
  const environmentsQuery = useQuery(environmentsOptions(orgSlug, draft.projectSlug));
  const teamsQuery = useQuery(teamsOptions(orgSlug));
  const membersQuery = useQuery(membersOptions(orgSlug));
  const targets = { teams: teamsQuery.data ?? [], members: membersQuery.data ?? [] };

  const saveMutation = useMutation({
    mutationFn: (submitted: RuleDraft) =>
      ruleId === null
        ? createRule(orgSlug, submitted.projectSlug, draftToInput(submitted))
        : updateRule(orgSlug, submitted.projectSlug, ruleId, draftToInput(submitted)),
    onSuccess: async (rule, submitted) => {
      await queryClient.invalidateQueries({ queryKey: alertKeys.all(orgSlug) });
      await navigate(ruleDetailsPage(orgSlug, submitted.projectSlug, rule.id));
    },
  });
  const deleteMutation = useMutation({
    mutationFn: (id: string) => deleteRule(orgSlug, draft.projectSlug, id),
    onSuccess: async () => {
      await queryClient.invalidateQueries({ queryKey: alertKeys.all(orgSlug) });
      await navigate(ruleListPage(orgSlug));
    },
  });

  // Errors of the last save describe the draft as it was then, so any edit clears them.
  const { isError: saveFailed, reset: resetSave } = saveMutation;
  useEffect(() => {
    if (saveFailed) {
      resetSave();
    }
    // Only an edit of the draft clears them, not the failure that just arrived.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [draft]);

  const errors = readFieldErrors(saveMutation.error) ?? {};
  const otherErrors = otherErrorMessages(errors);
  const set = <K extends keyof RuleDraft>(key: K, value: RuleDraft[K]) => {
    setDraft((current) => ({ ...current, [key]: value }));
  };
  const errorProps = (field: string) =>
    errors[field] === undefined
      ? {}
      : { 'aria-invalid': true, 'aria-describedby': fieldId(`${field}-error`) };
  const fieldError = (field: string) => {
    const messages = errors[field];
    return messages === undefined ? null : (
      <FieldErrorText id={fieldId(`${field}-error`)} messages={messages} />
    );
  };

  const environments = (environmentsQuery.data ?? []).map((environment) => environment.name);
  if (draft.environment !== '' && !environments.includes(draft.environment)) {
    environments.unshift(draft.environment);
  }

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    saveMutation.mutate(draft);
  }

  return (
    <div className="rule-editor">
      <form className="form" onSubmit={handleSubmit} aria-label="Alert rule" noValidate={false}>
        <Panel title="Rule" className="panel-padded">
          <div className="form">
            <div className="field-row">
              <div className="field">
                <label className="field-label" htmlFor={fieldId('name')}>
                  Rule name
                </label>
                <input
                  id={fieldId('name')}
                  required
                  maxLength={256}
                  value={draft.name}
                  onChange={(event) => {
                    set('name', event.target.value);
                  }}
                  {...errorProps('name')}
                />
                {fieldError('name')}
              </div>
              <div className="field">
                <label className="field-label" htmlFor={fieldId('project')}>
                  Project
                </label>
                <select
                  id={fieldId('project')}
                  value={draft.projectSlug}
                  disabled={ruleId !== null}
                  onChange={(event) => {
                    setDraft((current) => ({
                      ...current,
                      projectSlug: event.target.value,
                      environment: '',
                    }));
                  }}
                >
                  {ruleId !== null || projectsQuery.data === undefined ? (
                    <option value={draft.projectSlug}>{draft.projectSlug}</option>
                  ) : (
                    projectsQuery.data.map((project) => (
                      <option key={project.id} value={project.slug}>
                        {project.slug}
                      </option>
                    ))
                  )}
                </select>
              </div>
              <div className="field">
                <label className="field-label" htmlFor={fieldId('environment')}>
                  Environment
                </label>
                <select
                  id={fieldId('environment')}
                  value={draft.environment}
                  onChange={(event) => {
                    set('environment', event.target.value);
                  }}
                  {...errorProps('environment')}
                >
                  <option value="">All environments</option>
                  {environments.map((name) => (
                    <option key={name} value={name}>
                      {name}
                    </option>
                  ))}
                </select>
                {fieldError('environment')}
              </div>
            </div>
          </div>
        </Panel>

        <Panel title="When" className="panel-padded">
          <RuleNodeSection
            noun="condition"
            heading={
              <>
                <span>When</span>
                <MatchSelect
                  label="Condition match"
                  value={draft.actionMatch}
                  onChange={(value) => {
                    set('actionMatch', value);
                  }}
                />
                <span>of these conditions are met</span>
              </>
            }
            entries={RULE_CATALOG.conditions}
            nodes={draft.conditions}
            targets={targets}
            errors={errors.conditions ?? errors.actionMatch}
            onChange={(nodes) => {
              set('conditions', nodes);
            }}
          />
        </Panel>

        <Panel title="If" className="panel-padded">
          <RuleNodeSection
            noun="filter"
            heading={
              <>
                <span>If</span>
                <MatchSelect
                  label="Filter match"
                  value={draft.filterMatch}
                  onChange={(value) => {
                    set('filterMatch', value);
                  }}
                />
                <span>of these filters match</span>
              </>
            }
            entries={RULE_CATALOG.filters}
            nodes={draft.filters}
            targets={targets}
            errors={errors.filters ?? errors.filterMatch}
            onChange={(nodes) => {
              set('filters', nodes);
            }}
          />
        </Panel>

        <Panel title="Then" className="panel-padded">
          <RuleNodeSection
            noun="action"
            heading={<span>Perform these actions</span>}
            entries={RULE_CATALOG.actions}
            nodes={draft.actions}
            targets={targets}
            errors={errors.actions}
            onChange={(nodes) => {
              set('actions', nodes);
            }}
          />
          <p className="field-help">
            A webhook action gets a signing secret when the rule is saved; its details page shows
            it.
          </p>
        </Panel>

        <Panel title="Settings" className="panel-padded">
          <div className="field-row">
            <div className="field">
              <label className="field-label" htmlFor={fieldId('frequency')}>
                Action interval
              </label>
              <select
                id={fieldId('frequency')}
                value={draft.frequency}
                onChange={(event) => {
                  set('frequency', Number(event.target.value));
                }}
                {...errorProps('frequency')}
              >
                {intervalChoices(draft.frequency).map(([minutes, label]) => (
                  <option key={minutes} value={minutes}>
                    {label}
                  </option>
                ))}
              </select>
              <span className="field-help">At most one notification per issue in this time.</span>
              {fieldError('frequency')}
            </div>
            <div className="field">
              <label className="field-label" htmlFor={fieldId('status')}>
                Status
              </label>
              <select
                id={fieldId('status')}
                value={draft.status}
                onChange={(event) => {
                  set('status', event.target.value === 'disabled' ? 'disabled' : 'active');
                }}
                {...errorProps('status')}
              >
                <option value="active">Active</option>
                <option value="disabled">Disabled</option>
              </select>
              {fieldError('status')}
            </div>
          </div>
        </Panel>

        {otherErrors.length > 0 ? (
          <div className="alert alert-error" role="alert">
            {otherErrors.join(' ')}
          </div>
        ) : null}
        {saveMutation.isError && Object.keys(errors).length === 0 ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('save the alert rule', saveMutation.error)}
          </div>
        ) : null}
        {deleteMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('delete the alert rule', deleteMutation.error)}
          </div>
        ) : null}

        <div className="form-actions">
          {ruleId === null ? null : (
            <button
              type="button"
              className="button"
              disabled={deleteMutation.isPending}
              onClick={() => {
                if (window.confirm(`Delete the alert rule "${draft.name}"?`)) {
                  deleteMutation.mutate(ruleId);
                }
              }}
            >
              Delete rule
            </button>
          )}
          <button type="submit" className="button button-primary" disabled={saveMutation.isPending}>
            {saveMutation.isPending ? 'Saving…' : 'Save rule'}
          </button>
        </div>
      </form>

      <RulePreview
        orgSlug={orgSlug}
        projectSlug={draft.projectSlug}
        input={draftToPreviewInput(draft)}
      />
    </div>
  );
}

/** Lists the interval choices, plus the rule's own value when it is not one of them. */
function intervalChoices(current: number): [number, string][] {
  if (ACTION_INTERVALS.some(([minutes]) => minutes === current)) {
    return [...ACTION_INTERVALS];
  }
  return [[current, `${current} minutes`], ...ACTION_INTERVALS];
}
