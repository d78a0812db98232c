import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';

import type { IssueSort, SavedSearch } from '../../../shared/api/issues';
import { isRequestError } from '../../lib/api-client';
import { describeFailure } from '../../lib/user-message';
import { createSavedSearch, deleteSavedSearch, savedSearchesOptions } from './issue-list-api';

interface SavedSearchMenuProps {
  orgSlug: string;
  query: string;
  sort: IssueSort;
  onApply: (search: SavedSearch) => void;
  onResult: (message: string) => void;
}

/**
 * Renders the saved-search menu: the user's own searches and the organization's (marked as
 * such), a form that saves the current search, and a delete button on each search. The web app
 * does not know the member's role, so an organization search shows Delete too; the server
 * rejects it (403) to members without `org:write`, and the menu then shows the reason.
 */
export function SavedSearchMenu({ orgSlug, query, sort, onApply, onResult }: SavedSearchMenuProps) {
  const queryClient = useQueryClient();
  const searchesQuery = useQuery(savedSearchesOptions(orgSlug));
  const [isOpen, setIsOpen] = useState(false);
  const [isSaving, setIsSaving] = useState(false);
  const searches = searchesQuery.data ?? [];
  const refresh = () =>
    queryClient.invalidateQueries({ queryKey: savedSearchesOptions(orgSlug).queryKey });

  const deleteMutation = useMutation({
    mutationFn: (search: SavedSearch) => deleteSavedSearch(orgSlug, search.id),
    onSuccess: (_response, search) => {
      onResult(`Deleted the saved search "${search.name}".`);
    },
    onError: (error, search) => {
      if (search.visibility === 'organization' && isRequestError(error) && error.status === 403) {
        onResult(
          `Unable to delete the saved search "${search.name}": only an organization owner, ` +
            'manager or admin may delete a search shared with the organization.',
        );
        return;
      }
      onResult(describeFailure('delete the saved search', error));
    },
    onSettled: refresh,
  });

  return (
    <details
      className="saved-searches"
      open={isOpen}
      onToggle={(event) => {
        setIsOpen(event.currentTarget.open);
      }}
    >
      <summary className="button">Saved Searches</summary>
      <div className="saved-searches-popover">
        {searchesQuery.isError ? <p className="muted">Unable to load saved searches.</p> : null}
        {searchesQuery.isSuccess && searches.length === 0 ? (
          <p className="muted">No saved searches yet.</p>
        ) : null}
        <ul className="saved-search-list" aria-label="Saved searches">
          {searches.map((search) => (
            <li key={search.id} className="saved-search-item">
              <button
                type="button"
                className="link-button saved-search-apply"
                title={search.query}
                onClick={() => {
                  setIsOpen(false);
                  onApply(search);
                }}
              >
                {search.name}
              </button>
              {search.visibility === 'organization' ? (
                <span className="badge badge-organization">Organization</span>
              ) : null}
              <button
                type="button"
                className="link-button saved-search-delete"
                aria-label={`Delete saved search ${search.name}`}
                disabled={deleteMutation.isPending}
                onClick={() => {
                  deleteMutation.mutate(search);
                }}
              >
                Delete
              </button>
            </li>
          ))}
        </ul>
        {isSaving ? (
          <SaveSearchForm
            orgSlug={orgSlug}
            query={query}
            sort={sort}
            onCancel={() => {
              setIsSaving(false);
            }}
            onSaved={(search) => {
              setIsSaving(false);
              onResult(`Saved the search "${search.name}".`);
              void refresh();
            }}
          />
        ) : (
          <button
            type="button"
            className="button button-small"
            onClick={() => {
              setIsSaving(true);
            }}
          >
            Save Current Search
          </button>
        )}
      </div>
    </details>
  );
}

interface SaveSearchFormProps {
  orgSlug: string;
  query: string;
  sort: IssueSort;
  onCancel: () => void;
  onSaved: (search: SavedSearch) => void;
}

function SaveSearchForm({ orgSlug, query, sort, onCancel, onSaved }: SaveSearchFormProps) {
  const [name, setName] = useState('');
  const [visibility, setVisibility] = useState<SavedSearch['visibility']>('owner');
  const createMutation = useMutation({
    mutationFn: () => createSavedSearch(orgSlug, { name, query, sort, visibility }),
    onSuccess: onSaved,
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    createMutation.mutate();
  }

  return (
    <form className="save-search-form" onSubmit={handleSubmit}>
      <label>
        <span>Name</span>
        <input
          required
          maxLength={128}
          value={name}
          onChange={(event) => {
            setName(event.target.value);
          }}
        />
      </label>
      <label>
        <span>Visible to</span>
        <select
          value={visibility}
          onChange={(event) => {
            setVisibility(event.target.value as SavedSearch['visibility']);
          }}
        >
          <option value="owner">Only me</option>
          <option value="organization">The organization</option>
        </select>
      </label>
      <p className="muted save-search-query">
        <code>{query === '' ? '(all issues)' : query}</code>
      </p>
      {createMutation.isError ? (
        <p className="alert alert-error" role="alert">
          {describeFailure('save the search', createMutation.error)}
        </p>
      ) : null}
      <div className="save-search-buttons">
        <button
          type="submit"
          className="button button-primary button-small"
          disabled={createMutation.isPending}
        >
          Save
        </button>
        <button type="button" className="button button-small" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </form>
  );
}
