import type { IssueRecord } from './issue-repository.js';

/** Sentry's short id: the project slug in upper case and a base-36 counter, as `WEB-1Z`. */
export function formatShortId(projectSlug: string, number: number): string {
  return `${projectSlug.toUpperCase()}-${number.toString(36).toUpperCase()}`;
}

/** Builds Sentry's issue object. */
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
    statusDetails: {},
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

/** Groups tag value rows into Sentry's tag summary, the top values first. */
export function serializeTagSummary(
  rows: { key: string; value: string; timesSeen: number; firstSeen: number; lastSeen: number }[],
  topCount = 10,
) {
  const byKey = new Map<string, typeof rows>();
  for (const row of rows) {
    const list = byKey.get(row.key) ?? [];
    list.push(row);
    byKey.set(row.key, list);
  }

  return [...byKey.entries()].map(([key, values]) => {
    const sorted = [...values].sort((a, b) => Number(b.timesSeen) - Number(a.timesSeen));
    const name = TAG_NAMES[key] ?? key;
    return {
      key,
      name,
      totalValues: sorted.reduce((sum, row) => sum + Number(row.timesSeen), 0),
      uniqueValues: sorted.length,
      topValues: sorted.slice(0, topCount).map((row) => ({
        key,
        name: row.value,
        value: row.value,
        count: Number(row.timesSeen),
        firstSeen: new Date(row.firstSeen).toISOString(),
        lastSeen: new Date(row.lastSeen).toISOString(),
      })),
    };
  });
}
