import { useQuery } from '@tanstack/react-query';
import { Link, useParams, useSearchParams } from 'react-router';

import { EmptyState } from '../../components/empty-state';
import { LoadError } from '../../components/load-error';
import { LoadingIndicator } from '../../components/loading-indicator';
import { projectsOptions } from '../../lib/query-options';
import { useDocumentTitle } from '../../lib/use-document-title';
import { ruleDetailsPage, ruleOptions } from './alerts-api';
import { draftFromRule, newRuleDraft } from './rule-draft';
import { RuleForm } from './rule-form';
import { Breadcrumb, RuleLoadError } from './rule-page-parts';
import './alerts.css';

/** Renders the editor of a new rule, for the project in `?project=` or the first one. */
export function NewRulePage() {
  const { orgSlug = '' } = useParams();
  const [searchParams] = useSearchParams();
  const projectsQuery = useQuery(projectsOptions(orgSlug));
  useDocumentTitle(['New alert rule', orgSlug]);

  if (projectsQuery.isPending) {
    return <LoadingIndicator label="Loading projects…" />;
  }
  if (projectsQuery.isError) {
    return (
      <main className="page">
        <LoadError
          message="Unable to load projects."
          onRetry={() => void projectsQuery.refetch()}
        />
      </main>
    );
  }

  const requested = searchParams.get('project');
  const projects = projectsQuery.data;
  const project = projects.find((candidate) => candidate.slug === requested) ?? projects[0];

  return (
    <main className="page page-wide">
      <Breadcrumb orgSlug={orgSlug} current="New alert rule" />
      <h1>New alert rule</h1>
      {project === undefined ? (
        <EmptyState title="No projects">
          <p className="muted">Create a project first: alert rules watch a project's issues.</p>
        </EmptyState>
      ) : (
        <RuleForm orgSlug={orgSlug} initialDraft={newRuleDraft(project.slug)} ruleId={null} />
      )}
    </main>
  );
}

/** Renders the editor of a saved rule. */
export function EditRulePage() {
  const { orgSlug = '', projectSlug = '', ruleId = '' } = useParams();
  const ruleQuery = useQuery(ruleOptions(orgSlug, projectSlug, ruleId));
  useDocumentTitle([ruleQuery.data?.name, 'Edit alert rule', orgSlug]);

  if (ruleQuery.isPending) {
    return <LoadingIndicator label="Loading alert rule…" />;
  }
  if (ruleQuery.isError) {
    return <RuleLoadError orgSlug={orgSlug} error={ruleQuery.error} onRetry={ruleQuery.refetch} />;
  }

  const rule = ruleQuery.data;
  return (
    <main className="page page-wide">
      <Breadcrumb orgSlug={orgSlug} current="Edit">
        <Link to={ruleDetailsPage(orgSlug, projectSlug, rule.id)}>{rule.name}</Link>
      </Breadcrumb>
      <h1>Edit alert rule</h1>
      <RuleForm
        key={rule.id}
        orgSlug={orgSlug}
        initialDraft={{ ...draftFromRule(rule), projectSlug }}
        ruleId={rule.id}
      />
    </main>
  );
}
