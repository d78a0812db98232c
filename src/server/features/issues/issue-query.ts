/** The part of Sentry's issue search that the issue list understands today. */
export interface IssueQuery {
  statuses: string[] | undefined;
  text: string | undefined;
  level: string | undefined;
}

const STATUS_ALIASES: Record<string, string> = {
  unresolved: 'unresolved',
  resolved: 'resolved',
  ignored: 'ignored',
  archived: 'ignored',
};

/**
 * Parses `is:`, `level:` and free text out of a search string. A missing query means
 * `is:unresolved`; an empty one means every status.
 */
export function parseIssueQuery(query: string | undefined): IssueQuery {
  const source = query ?? 'is:unresolved';
  const statuses: string[] = [];
  const words: string[] = [];
  let level: string | undefined;

  for (const token of source.match(/(?:[^\s"]+|"[^"]*")+/g) ?? []) {
    const match = /^(!?)([\w.]+):(.+)$/.exec(token);
    const key = match?.[2];
    const value = match?.[3]?.replace(/^"|"$/g, '');

    if (
      match !== null &&
      key === 'is' &&
      value !== undefined &&
      STATUS_ALIASES[value] !== undefined
    ) {
      statuses.push(STATUS_ALIASES[value]);
    } else if (match !== null && key === 'level' && value !== undefined) {
      level = value;
    } else {
      words.push(token.replace(/^"|"$/g, ''));
    }
  }

  const text = words.join(' ').trim();
  return {
    statuses: statuses.length > 0 ? statuses : undefined,
    text: text === '' ? undefined : text,
    level,
  };
}
