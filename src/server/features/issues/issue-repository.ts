import { type Kysely, type Selectable } from 'kysely';

import type { Database, IssuesTable } from '../../platform/db/index.js';
import type { IssueQuery } from './issue-query.js';
import { issueSearchConditions, type IssueListScope } from './issue-search-sql.js';
import type { TagKeySummary } from './issue-serializer.js';

/** An issue row with the slug, name and platform of its project. */
export type IssueRecord = Omit<Selectable<IssuesTable>, 'resolvedAt'> & {
  projectSlug: string;
  projectName: string;
  projectPlatform: string | null;
};

export type IssueSort = 'date' | 'new' | 'freq' | 'user';

/** An issue search: the projects, the parsed query, the list scope and the requesting user (for `me`). */
export interface IssueSearchOptions {
  projectIds: number[];
  query: IssueQuery;
  scope?: IssueListScope;
  userId?: number;
}

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
        'issues.statusDetails',
        'issues.assigneeUserId',
        'issues.assigneeTeamId',
        'projects.slug as projectSlug',
        'projects.name as projectName',
        'projects.platform as projectPlatform',
      ]);
  }

  #searchIssues(options: IssueSearchOptions) {
    const conditions = issueSearchConditions(
      options.query,
      options.scope ?? { environments: [], window: undefined },
      { userId: options.userId },
    );
    let query = this.#selectIssues().where('issues.projectId', 'in', options.projectIds);
    for (const condition of conditions) {
      query = query.where(condition);
    }
    return query;
  }

  /** Lists issues of the given projects, fetching one extra row to tell whether more exist. */
  list(
    options: IssueSearchOptions & { sort: IssueSort; offset: number; limit: number },
  ): Promise<IssueRecord[]> {
    if (options.projectIds.length === 0) {
      return Promise.resolve([]);
    }
    return this.#searchIssues(options)
      .orderBy(SORT_COLUMNS[options.sort], 'desc')
      .orderBy('issues.id', 'desc')
      .offset(options.offset)
      .limit(options.limit + 1)
      .execute();
  }

  /** Counts the issues matching a search, stopping at `max` so that large counts stay cheap. */
  async count(options: IssueSearchOptions & { max: number }): Promise<number> {
    if (options.projectIds.length === 0) {
      return 0;
    }
    const matches = this.#searchIssues(options)
      .clearSelect()
      .select('issues.id')
      .limit(options.max);
    const row = await this.#db
      .selectFrom(matches.as('matches'))
      .select((eb) => eb.fn.countAll<number | string>().as('total'))
      .executeTakeFirst();
    return Number(row?.total ?? 0);
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

  /**
   * Summarizes an issue's tags per key (or for one key): the number of distinct values, the
   * sum of their counts and the `top` most frequent values. The top values of each key are read
   * in count order from `issue_tag_values_issue_key_count`, so that a key with tens of
   * thousands of values (`user` on a large issue) is not sorted in full.
   */
  async summarizeTagValues(issueId: number, top: number, key?: string): Promise<TagKeySummary[]> {
    let totals = this.#db
      .selectFrom('issueTagValues')
      .select((eb) => [
        'key',
        eb.fn.countAll<number>().as('uniqueValues'),
        eb.fn.sum<number>('timesSeen').as('totalValues'),
      ])
      .where('issueId', '=', issueId);
    if (key !== undefined) {
      totals = totals.where('key', '=', key);
    }
    const keys = await totals.groupBy('key').orderBy('key').execute();

    const summaries: TagKeySummary[] = [];
    for (const row of keys) {
      const topValues = await this.#db
        .selectFrom('issueTagValues')
        .select(['value', 'timesSeen', 'firstSeen', 'lastSeen'])
        .where('issueId', '=', issueId)
        .where('key', '=', row.key)
        .orderBy('timesSeen', 'desc')
        .limit(top)
        .execute();
      summaries.push({
        key: row.key,
        uniqueValues: Number(row.uniqueValues),
        totalValues: Number(row.totalValues),
        topValues,
      });
    }
    return summaries;
  }
}
