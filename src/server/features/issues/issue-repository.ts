import { sql, type Kysely, type Selectable } from 'kysely';

import type { Database, IssuesTable } from '../../platform/db/index.js';
import type { IssueQuery } from './issue-query.js';

/** An issue row with the slug, name and platform of its project. */
export type IssueRecord = Omit<Selectable<IssuesTable>, 'resolvedAt'> & {
  projectSlug: string;
  projectName: string;
  projectPlatform: string | null;
};

export type IssueSort = 'date' | 'new' | 'freq' | 'user';

const SORT_COLUMNS = {
  date: 'issues.lastSeen',
  new: 'issues.firstSeen',
  freq: 'issues.timesSeen',
  user: 'issues.userCount',
} as const;

/** Queries and updates of issues, their hashes and tag values. */
export class IssueRepository {
  readonly #db: Kysely<Database>;

  constructor(db: Kysely<Database>) {
    this.#db = db;
  }

  #selectIssues() {
    return this.#db
      .selectFrom('issues')
      .innerJoin('projects', 'projects.id', 'issues.projectId')
      .select([
        'issues.id',
        'issues.projectId',
        'issues.shortIdNumber',
        'issues.title',
        'issues.culprit',
        'issues.type',
        'issues.level',
        'issues.status',
        'issues.substatus',
        'issues.platform',
        'issues.metadata',
        'issues.firstSeen',
        'issues.lastSeen',
        'issues.timesSeen',
        'issues.userCount',
        'issues.firstRelease',
        'issues.lastRelease',
        'projects.slug as projectSlug',
        'projects.name as projectName',
        'projects.platform as projectPlatform',
      ]);
  }

  /** Lists issues of the given projects, fetching one extra row to tell whether more exist. */
  list(options: {
    projectIds: number[];
    query: IssueQuery;
    sort: IssueSort;
    offset: number;
    limit: number;
  }): Promise<IssueRecord[]> {
    if (options.projectIds.length === 0) {
      return Promise.resolve([]);
    }

    let query = this.#selectIssues().where('issues.projectId', 'in', options.projectIds);
    const { statuses, text, level } = options.query;

    if (statuses !== undefined) {
      query = query.where('issues.status', 'in', statuses);
    }
    if (level !== undefined) {
      query = query.where('issues.level', '=', level);
    }
    if (text !== undefined) {
      const pattern = `%${text.toLowerCase().replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      query = query.where(
        sql<boolean>`(lower(issues.title) LIKE ${pattern} ESCAPE '\\' OR lower(issues.culprit) LIKE ${pattern} ESCAPE '\\')`,
      );
    }

    for (const filter of options.query.tags) {
      const pattern = filter.value.replace(/[\\%_]/g, (c) => `\\${c}`).replaceAll('*', '%');
      const condition = sql<boolean>`EXISTS (SELECT 1 FROM issue_tag_values AS t WHERE t.issue_id = issues.id AND t.key = ${filter.key} AND t.value LIKE ${pattern} ESCAPE '\\')`;
      query = query.where(filter.negated ? sql<boolean>`NOT ${condition}` : condition);
    }
    for (const filter of options.query.has) {
      const condition = sql<boolean>`EXISTS (SELECT 1 FROM issue_tag_values AS t WHERE t.issue_id = issues.id AND t.key = ${filter.key})`;
      query = query.where(filter.negated ? sql<boolean>`NOT ${condition}` : condition);
    }

    return query
      .orderBy(SORT_COLUMNS[options.sort], 'desc')
      .orderBy('issues.id', 'desc')
      .offset(options.offset)
      .limit(options.limit + 1)
      .execute();
  }

  findById(id: number): Promise<IssueRecord | undefined> {
    return this.#selectIssues().where('issues.id', '=', id).executeTakeFirst();
  }

  /** Finds an issue by `PROJECT-SHORTID`, case-insensitive, within an organization. */
  async findByShortId(organizationId: number, shortId: string): Promise<IssueRecord | undefined> {
    const match = /^(.+)-([0-9A-Z]+)$/i.exec(shortId);
    if (match?.[1] === undefined || match[2] === undefined) {
      return undefined;
    }
    const number = parseInt(match[2], 36);
    return this.#selectIssues()
      .where('projects.organizationId', '=', organizationId)
      .where('projects.slug', '=', match[1].toLowerCase())
      .where('issues.shortIdNumber', '=', number)
      .executeTakeFirst();
  }

  async updateStatus(id: number, status: string, substatus: string | null): Promise<void> {
    await this.#db
      .updateTable('issues')
      .set({ status, substatus, resolvedAt: status === 'resolved' ? Date.now() : null })
      .where('id', '=', id)
      .execute();
  }

  listHashes(issueId: number) {
    return this.#db
      .selectFrom('issueHashes')
      .select(['hash'])
      .where('issueId', '=', issueId)
      .orderBy('id')
      .execute();
  }

  listTagValues(issueId: number) {
    return this.#db
      .selectFrom('issueTagValues')
      .select(['key', 'value', 'timesSeen', 'firstSeen', 'lastSeen'])
      .where('issueId', '=', issueId)
      .orderBy('key')
      .orderBy('timesSeen', 'desc')
      .execute();
  }
}
