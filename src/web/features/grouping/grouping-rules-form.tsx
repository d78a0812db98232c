import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type {
  GroupingRulesValidation,
  ProjectGroupingRules,
  RuleLineError,
} from '../../../shared/api/grouping';
import { describeFailure } from '../../lib/user-message';
import {
  groupingQueryKeys,
  saveGroupingRules,
  validateGroupingRules,
  type ProjectWithGroupingRules,
} from './query-options';

interface RuleField {
  key: keyof ProjectGroupingRules;
  label: string;
  help: string;
  placeholder: string;
}

const FIELDS: RuleField[] = [
  {
    key: 'groupingEnhancements',
    label: 'Stack trace rules',
    help: 'One rule a line: matchers, then actions. +app/-app mark frames in-app or not; +group/-group add or remove a frame from grouping; ^ applies an action to the frames towards the crash, v to those towards main.',
    placeholder:
      'stack.module:vendor.* -app\nstack.function:log_* -group\nstack.function:retry ^-group',
  },
  {
    key: 'fingerprintingRules',
    label: 'Fingerprint rules',
    help: 'One rule a line: matchers -> fingerprint [title="…"]. Matchers: error.type, error.value, message, logger, level, tags.<name>, stack.module, stack.abs_path, stack.package, stack.function, family, app, sdk, release; ! negates, * is a glob. Variables: {{ default }}, {{ transaction }}, {{ type }}, {{ function }}, {{ tags.<name> }} and more.',
    placeholder:
      'error.type:DatabaseUnavailable -> database-unavailable\nmessage:"*timeout*" -> timeouts, {{ transaction }} title="Timeouts"',
  },
];

const NO_ERRORS: GroupingRulesValidation = { groupingEnhancements: [], fingerprintingRules: [] };

interface GroupingRulesFormProps {
  orgSlug: string;
  projectSlug: string;
  project: ProjectWithGroupingRules;
}

/** Renders both rule text areas with one save button; invalid lines are listed under each. */
export function GroupingRulesForm({ orgSlug, projectSlug, project }: GroupingRulesFormProps) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<ProjectGroupingRules>({
    groupingEnhancements: project.groupingEnhancements,
    fingerprintingRules: project.fingerprintingRules,
  });
  const [lineErrors, setLineErrors] = useState<GroupingRulesValidation>(NO_ERRORS);
  const mutation = useMutation({
    mutationFn: async (rules: ProjectGroupingRules) => {
      const validation = await validateGroupingRules(orgSlug, projectSlug, rules);
      setLineErrors(validation);
      if (validation.groupingEnhancements.length > 0 || validation.fingerprintingRules.length > 0) {
        return undefined;
      }
      return saveGroupingRules(orgSlug, projectSlug, rules);
    },
    onSuccess: (saved) => {
      if (saved !== undefined) {
        queryClient.setQueryData(groupingQueryKeys.rules(orgSlug, projectSlug), saved);
      }
    },
  });

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate(values);
  };

  const hasLineErrors =
    lineErrors.groupingEnhancements.length > 0 || lineErrors.fingerprintingRules.length > 0;

  return (
    <form className="form grouping-rules" onSubmit={handleSubmit} aria-label="Grouping rules">
      {FIELDS.map((field) => (
        <label className="field" key={field.key}>
          <span className="field-label">{field.label}</span>
          <span className="field-help">{field.help}</span>
          <textarea
            className="grouping-textarea mono"
            rows={8}
            spellCheck={false}
            placeholder={field.placeholder}
            value={values[field.key]}
            aria-invalid={lineErrors[field.key].length > 0}
            onChange={(event) => {
              setValues({ ...values, [field.key]: event.target.value });
            }}
          />
          <LineErrors errors={lineErrors[field.key]} />
        </label>
      ))}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('save the grouping rules', mutation.error)}
        </div>
      ) : null}
      {mutation.isSuccess && !hasLineErrors ? (
        <div className="alert alert-success" role="status">
          Saved. New events are grouped with these rules within a few seconds; existing issues keep
          their events.
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          Save grouping rules
        </button>
      </div>
    </form>
  );
}

function LineErrors({ errors }: { errors: RuleLineError[] }) {
  if (errors.length === 0) {
    return null;
  }

  return (
    <ul className="grouping-line-errors" role="alert">
      {errors.map((error) => (
        <li key={error.line}>
          <span className="mono">Line {error.line}:</span> {error.message}
        </li>
      ))}
    </ul>
  );
}
