import type { EmailPayload } from './deliveries.js';
import type { DigestIssue, DigestSummary } from './digest-summary.js';
import { renderEmail } from './email-layout.js';
import { issueUrl } from './links.js';

export type DigestPeriod = 'daily' | 'weekly';

function plural(count: number, word: string): string {
  return `${count} ${word}${count === 1 ? '' : 's'}`;
}

/**
 * Lists each issue once, new issues first, then regressions, then the most frequent, with what
 * put it in the digest.
 */
function listIssues(summary: DigestSummary, baseUrl: string) {
  const entries = new Map<number, { issue: DigestIssue; notes: string[] }>();
  const add = (issue: DigestIssue, note: string) => {
    const entry = entries.get(issue.id) ?? { issue, notes: [] };
    entry.notes.push(note);
    entries.set(issue.id, entry);
  };

  for (const issue of summary.newIssues) {
    add(issue, `new, ${plural(issue.events, 'event')}`);
  }
  for (const issue of summary.regressions) {
    add(issue, 'regressed');
  }
  for (const issue of summary.frequentIssues) {
    add(issue, `${plural(issue.events, 'event')} in this period`);
  }

  return [...entries.values()].map(({ issue, notes }) => ({
    title: `${issue.shortId} ${issue.title}`,
    detail: notes.join('; '),
    url: issueUrl(baseUrl, issue.organizationSlug, issue.id),
  }));
}

/** Renders a user's digest of one period. Issue titles are user data, so `renderEmail` escapes them. */
export function renderDigestEmail(
  summary: DigestSummary,
  period: DigestPeriod,
  range: { since: number; until: number },
  links: { baseUrl: string; settingsUrl: string },
): EmailPayload {
  const counts = `${plural(summary.newIssueCount, 'new issue')}, ${plural(summary.regressionCount, 'regression')}`;
  const from = new Date(range.since).toISOString().slice(0, 16).replace('T', ' ');
  const to = new Date(range.until).toISOString().slice(0, 16).replace('T', ' ');

  return renderEmail({
    subject: `Picket ${period} digest: ${counts}`,
    heading: `Your ${period} digest`,
    paragraphs: [`Issue activity in your projects from ${from} to ${to} UTC.`],
    facts: [
      ['New issues', String(summary.newIssueCount)],
      ['Regressions', String(summary.regressionCount)],
    ],
    items: listIssues(summary, links.baseUrl),
    link: { label: 'Open Picket', url: `${links.baseUrl}/` },
    footer: `You received this because your digest is set to "${period}". Change your notification settings at ${links.settingsUrl}`,
  });
}
