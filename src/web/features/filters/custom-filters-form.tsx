import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { FilterOptionKey, FilterOptions, FilterReason } from '../../../shared/api/filters';
import { describeFailure } from '../../lib/user-message';
import { DroppedCount } from './dropped-count';
import { filterQueryKeys, updateFilterOptions } from './query-options';

interface CustomFilterField {
  key: FilterOptionKey;
  label: string;
  help: string;
  placeholder: string;
  reason: FilterReason;
}

const FIELDS: CustomFilterField[] = [
  {
    key: 'filters:blacklisted_ips',
    label: 'IP addresses',
    help: 'Drops events sent from these addresses. One IPv4 or IPv6 address or CIDR range a line.',
    placeholder: '10.0.0.0/8\n2001:db8::/32',
    reason: 'ip-address',
  },
  {
    key: 'filters:releases',
    label: 'Releases',
    help: 'Drops events of these releases. One glob pattern a line, for example 1.* or [!3].*.',
    placeholder: 'web@1.*',
    reason: 'release-version',
  },
  {
    key: 'filters:error_messages',
    label: 'Error messages',
    help: 'Drops events whose message matches. One glob pattern a line; exceptions are matched as "Type: value", for example "TypeError: *".',
    placeholder: 'ChunkLoadError: *',
    reason: 'error-message',
  },
];

interface CustomFiltersFormProps {
  orgSlug: string;
  projectSlug: string;
  options: FilterOptions;
  counts: Partial<Record<FilterReason, number>>;
}

/** Renders the IP, release and error-message lists with one save button. */
export function CustomFiltersForm({
  orgSlug,
  projectSlug,
  options,
  counts,
}: CustomFiltersFormProps) {
  const queryClient = useQueryClient();
  const [values, setValues] = useState<FilterOptions>(options);
  const mutation = useMutation({
    mutationFn: (changed: FilterOptions) => updateFilterOptions(orgSlug, projectSlug, changed),
    onSuccess: (project) => {
      queryClient.setQueryData(filterQueryKeys.details(orgSlug, projectSlug), project);
      setValues(project.options);
    },
  });

  const handleSubmit = (event: SubmitEvent<HTMLFormElement>) => {
    event.preventDefault();
    mutation.mutate(values);
  };

  return (
    <form className="form custom-filters" onSubmit={handleSubmit} aria-label="Custom filters">
      {FIELDS.map((field) => (
        <label className="field" key={field.key}>
          <span className="field-label">{field.label}</span>
          <span className="field-help">{field.help}</span>
          <textarea
            className="filter-textarea mono"
            rows={4}
            spellCheck={false}
            placeholder={field.placeholder}
            value={values[field.key]}
            onChange={(event) => {
              setValues({ ...values, [field.key]: event.target.value });
            }}
          />
          <DroppedCount count={counts[field.reason]} />
        </label>
      ))}
      {mutation.isError ? (
        <div className="alert alert-error" role="alert">
          {describeFailure('save the custom filters', mutation.error)}
        </div>
      ) : null}
      {mutation.isSuccess ? (
        <div className="alert alert-success" role="status">
          Saved. New events are checked against these lists within a few seconds.
        </div>
      ) : null}
      <div className="form-actions">
        <button type="submit" className="button button-primary" disabled={mutation.isPending}>
          Save custom filters
        </button>
      </div>
    </form>
  );
}
