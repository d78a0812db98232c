import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState, type SubmitEvent } from 'react';
import { useNavigate } from 'react-router';

import { createOrganization } from '../../lib/api-mutations';
import { queryKeys } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { describeFailure } from '../../lib/user-message';
import { slugify } from '../../lib/slugify';

export function NewOrganizationPage() {
  const navigate = useNavigate();
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [slug, setSlug] = useState('');
  const [isSlugEdited, setIsSlugEdited] = useState(false);
  useDocumentTitle(['New organization']);

  const createMutation = useMutation({
    mutationFn: createOrganization,
    onSuccess: async (organization) => {
      await queryClient.invalidateQueries({ queryKey: queryKeys.organizations });
      await navigate(`/organizations/${organization.slug}/projects/new/`);
    },
  });

  function handleSubmit(event: SubmitEvent<HTMLFormElement>) {
    event.preventDefault();
    const trimmedSlug = slug.trim();
    createMutation.mutate({
      name: name.trim(),
      ...(trimmedSlug === '' ? {} : { slug: trimmedSlug }),
    });
  }

  return (
    <main className="page page-narrow">
      <div className="page-heading">
        <h1>Create an organization</h1>
      </div>
      <p className="page-intro">
        An organization holds your teams and projects. Most companies need only one.
      </p>
      <form className="form panel panel-padded" onSubmit={handleSubmit}>
        <label className="field">
          <span className="field-label">Name</span>
          <input
            name="name"
            required
            autoFocus
            maxLength={64}
            placeholder="Acme Corp"
            value={name}
            onChange={(event) => {
              setName(event.target.value);
              if (!isSlugEdited) {
                setSlug(slugify(event.target.value));
              }
            }}
          />
        </label>
        <label className="field">
          <span className="field-label">Slug</span>
          <input
            name="slug"
            pattern="[a-z0-9][a-z0-9_\-]*"
            maxLength={50}
            placeholder="acme-corp"
            value={slug}
            onChange={(event) => {
              setSlug(event.target.value);
              setIsSlugEdited(true);
            }}
          />
          <span className="field-help">
            Used in URLs and by sentry-cli. Lower-case letters, digits, hyphens and underscores.
          </span>
        </label>
        {createMutation.isError ? (
          <div className="alert alert-error" role="alert">
            {describeFailure('create the organization', createMutation.error)}
          </div>
        ) : null}
        <div className="form-actions">
          <button
            type="submit"
            className="button button-primary"
            disabled={createMutation.isPending}
          >
            {createMutation.isPending ? 'Creating…' : 'Create organization'}
          </button>
        </div>
      </form>
    </main>
  );
}
