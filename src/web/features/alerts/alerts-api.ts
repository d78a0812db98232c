import { keepPreviousData, queryOptions } from '@tanstack/react-query';

import type {
  AlertRule,
  AlertRuleInput,
  AlertRulePreviewInput,
  IssueAlertFiring,
  NotificationDelivery,
  RuleGroupHistory,
} from '../../../shared/api/alerts';
import type { Issue } from '../../../shared/api/issues';
import { fetchApi, requestApi } from '../../lib/api-client';

/** Deliveries change state within seconds of a firing, so their list is re-read while open. */
const DELIVERY_REFRESH_MS = 5_000;

export const alertKeys = {
  all: (orgSlug: string) => ['alerts', orgSlug] as const,
  combined: (orgSlug: string) => ['alerts', orgSlug, 'combined'] as const,
  rule: (orgSlug: string, projectSlug: string, ruleId: string) =>
    ['alerts', orgSlug, 'rule', projectSlug, ruleId] as const,
  history: (orgSlug: string, projectSlug: string, ruleId: string) =>
    ['alerts', orgSlug, 'rule', projectSlug, ruleId, 'history'] as const,
  deliveries: (orgSlug: string, projectSlug: string, ruleId: string) =>
    ['alerts', orgSlug, 'rule', projectSlug, ruleId, 'deliveries'] as const,
  preview: (orgSlug: string, projectSlug: string, body: string) =>
    ['alerts', orgSlug, 'preview', projectSlug, body] as const,
  environments: (orgSlug: string, projectSlug: string) =>
    ['projects', orgSlug, projectSlug, 'environments'] as const,
  issueAlerts: (orgSlug: string, issueId: string) =>
    ['issues', orgSlug, 'detail', issueId, 'picket-alerts'] as const,
};

const encode = encodeURIComponent;

export function rulesPath(orgSlug: string, projectSlug: string): string {
  return `/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/rules/`;
}

function rulePath(orgSlug: string, projectSlug: string, ruleId: string): string {
  return `${rulesPath(orgSlug, projectSlug)}${encode(ruleId)}/`;
}

/** Returns the web page of a rule's details. */
export function ruleDetailsPage(orgSlug: string, projectSlug: string, ruleId: string): string {
  return `/organizations/${encode(orgSlug)}/alerts/rules/${encode(projectSlug)}/${encode(ruleId)}/`;
}

export function ruleListPage(orgSlug: string): string {
  return `/organizations/${encode(orgSlug)}/alerts/rules/`;
}

export function combinedRulesOptions(orgSlug: string) {
  return queryOptions({
    queryKey: alertKeys.combined(orgSlug),
    queryFn: ({ signal }) =>
      fetchApi<AlertRule[]>(`/api/0/organizations/${encode(orgSlug)}/combined-rules/`, {
        signal,
      }),
  });
}

export function ruleOptions(orgSlug: string, projectSlug: string, ruleId: string) {
  return queryOptions({
    queryKey: alertKeys.rule(orgSlug, projectSlug, ruleId),
    queryFn: ({ signal }) =>
      fetchApi<AlertRule>(rulePath(orgSlug, projectSlug, ruleId), { signal }),
  });
}

export function ruleHistoryOptions(orgSlug: string, projectSlug: string, ruleId: string) {
  return queryOptions({
    queryKey: alertKeys.history(orgSlug, projectSlug, ruleId),
    queryFn: ({ signal }) =>
      fetchApi<RuleGroupHistory[]>(`${rulePath(orgSlug, projectSlug, ruleId)}group-history/`, {
        signal,
      }),
  });
}

export function ruleDeliveriesOptions(orgSlug: string, projectSlug: string, ruleId: string) {
  return queryOptions({
    queryKey: alertKeys.deliveries(orgSlug, projectSlug, ruleId),
    queryFn: ({ signal }) =>
      fetchApi<NotificationDelivery[]>(
        `${rulePath(orgSlug, projectSlug, ruleId)}picket-deliveries/`,
        { signal },
      ),
    refetchInterval: DELIVERY_REFRESH_MS,
  });
}

export function environmentsOptions(orgSlug: string, projectSlug: string) {
  return queryOptions({
    queryKey: alertKeys.environments(orgSlug, projectSlug),
    queryFn: ({ signal }) =>
      fetchApi<{ id: string; name: string }[]>(
        `/api/0/projects/${encode(orgSlug)}/${encode(projectSlug)}/environments/`,
        { signal },
      ),
  });
}

export function issueAlertsOptions(orgSlug: string, issueId: string) {
  return queryOptions({
    queryKey: alertKeys.issueAlerts(orgSlug, issueId),
    queryFn: ({ signal }) =>
      fetchApi<IssueAlertFiring[]>(
        `/api/0/organizations/${encode(orgSlug)}/issues/${encode(issueId)}/picket-alerts/`,
        { signal },
      ),
    // Re-reads while a delivery is still on its way, so its final status shows up.
    refetchInterval: (query) =>
      query.state.data?.some((firing) =>
        firing.deliveries.some(
          (delivery) => delivery.status === 'pending' || delivery.status === 'sending',
        ),
      ) === true
        ? DELIVERY_REFRESH_MS
        : false,
  });
}

export interface PreviewResult {
  issues: Issue[];
  /** The `X-Hits` header: how many issues would have fired, which may exceed the list. */
  hits: number;
}

/**
 * Loads the issues a draft rule would have fired for. `body` is the JSON of the preview input,
 * so that equal drafts share one cache entry.
 */
export function rulePreviewOptions(orgSlug: string, projectSlug: string, body: string) {
  return queryOptions({
    queryKey: alertKeys.preview(orgSlug, projectSlug, body),
    queryFn: async ({ signal }): Promise<PreviewResult> => {
      const response = await requestApi<Issue[]>(`${rulesPath(orgSlug, projectSlug)}preview/`, {
        method: 'POST',
        body: JSON.parse(body) as AlertRulePreviewInput,
        signal,
      });
      const hits = Number(response.headers.get('X-Hits'));
      return {
        issues: response.data,
        hits: Number.isFinite(hits) && response.headers.has('X-Hits') ? hits : response.data.length,
      };
    },
    placeholderData: keepPreviousData,
    retry: false,
  });
}

export function createRule(
  orgSlug: string,
  projectSlug: string,
  input: AlertRuleInput,
): Promise<AlertRule> {
  return fetchApi<AlertRule>(rulesPath(orgSlug, projectSlug), { method: 'POST', body: input });
}

export function updateRule(
  orgSlug: string,
  projectSlug: string,
  ruleId: string,
  input: AlertRuleInput,
): Promise<AlertRule> {
  return fetchApi<AlertRule>(rulePath(orgSlug, projectSlug, ruleId), {
    method: 'PUT',
    body: input,
  });
}

export async function deleteRule(
  orgSlug: string,
  projectSlug: string,
  ruleId: string,
): Promise<void> {
  await requestApi<undefined>(rulePath(orgSlug, projectSlug, ruleId), { method: 'DELETE' });
}

/** Sends every action of the rule once now, and returns the deliveries the server queued. */
export function sendTestNotification(
  orgSlug: string,
  projectSlug: string,
  ruleId: string,
): Promise<NotificationDelivery[]> {
  return fetchApi<NotificationDelivery[]>(`${rulePath(orgSlug, projectSlug, ruleId)}picket-test/`, {
    method: 'POST',
  });
}
