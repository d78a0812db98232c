import type { IssueRecord } from './issue-repository.js';
import { presentStatusDetails, readStoredDetails } from './issue-workflow-status.js';

/** Sentry's short id: the project slug in upper case and a base-36 counter, as `WEB-1Z`. */
export function formatShortId(projectSlug: string, number: number): string {
  return `${projectSlug.toUpperCase()}-${number.toString(36).toUpperCase()}`;
}

/**
 * Builds Sentry's issue object. The per-user fields, the assignee and the status actor need
 * more queries, so they keep their defaults here and `presentIssues` fills them in.
 */
export function serializeIssue(issue: IssueRecord, context: { baseUrl: string; orgSlug: string }) {
  const metadata = JSON.parse(issue.metadata) as Record<string, unknown>;

  return {
    id: String(issue.id),
    shortId: formatShortId(issue.projectSlug, issue.shortIdNumber),
    title: issue.title,
    culprit: issue.culprit,
    permalink: `${context.baseUrl}/organizations/${context.orgSlug}/issues/${issue.id}/`,
    logger: null,
    level: issue.level,
    status: issue.status,
    substatus: issue.substatus,
    statusDetails: presentStatusDetails(issue.status, readStoredDetails(issue.statusDetails), null),
    isPublic: false,
    platform: issue.platform,
    project: {
      id: String(issue.projectId),
      name: issue.projectName,
      slug: issue.projectSlug,
      platform: issue.projectPlatform,
    },
    type: issue.type,
    issueType: 'error',
    issueCategory: 'error',
    metadata,
    numComments: 0,
    assignedTo: null,
    isBookmarked: false,
    isSubscribed: false,
    subscriptionDetails: null,
    hasSeen: false,
    annotations: [],
    isUnhandled: metadata.unhandled === true,
    count: String(issue.timesSeen),
    userCount: Number(issue.userCount),
    firstSeen: new Date(issue.firstSeen).toISOString(),
    lastSeen: new Date(issue.lastSeen).toISOString(),
    firstRelease: issue.firstRelease === null ? null : { version: issue.firstRelease },
    lastRelease: issue.lastRelease === null ? null : { version: issue.lastRelease },
    priority: 'high',
  };
}

const TAG_NAMES: Record<string, string> = {
  level: 'Level',
  release: 'Release',
  environment: 'Environment',
  user: 'User',
  url: 'URL',
  browser: 'Browser',
  os: 'OS',
  runtime: 'Runtime',
  device: 'Device',
  server_name: 'Server',
  transaction: 'Transaction',
  handled: 'Handled',
  mechanism: 'Mechanism',
};

/** One tag key of an issue: its distinct values, their total count and its top values. */
export interface TagKeySummary {
  key: string;
  uniqueValues: number;
  totalValues: number;
  topValues: { value: string; timesSeen: number; firstSeen: number; lastSeen: number }[];
}

/** Turns per-key tag summaries into Sentry's tag summary. */
export function serializeTagSummary(summaries: readonly TagKeySummary[]) {
  return summaries.map((summary) => ({
    key: summary.key,
    name: TAG_NAMES[summary.key] ?? summary.key,
    totalValues: summary.totalValues,
    uniqueValues: summary.uniqueValues,
    topValues: summary.topValues.map((row) => ({
      key: summary.key,
      name: row.value,
      value: row.value,
      count: Number(row.timesSeen),
      firstSeen: new Date(Number(row.firstSeen)).toISOString(),
      lastSeen: new Date(Number(row.lastSeen)).toISOString(),
    })),
  }));
}
