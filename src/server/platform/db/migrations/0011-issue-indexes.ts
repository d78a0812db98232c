import type { Kysely } from 'kysely';

import type { Dialect } from '../connect.js';

/**
 * Indexes for the issue list and the issue page, chosen with the issue benchmark
 * (`npm run bench -- --issues`: 10,000 issues and 1 million events in one project).
 *
 * - `issues_project_status_times_seen` and `issues_project_status_user_count` serve the issue
 *   list sorted by events or users (`sort=freq`, `sort=user`) for a status, as
 *   `issues_project_status_last_seen` serves `sort=date`: the first page is read in index order
 *   instead of sorting every issue of that status.
 * - `issue_tag_values_issue_key_count` orders an issue's values of one key by count, so that
 *   the top values of a key are read without sorting all of them (an issue with 100,000 events
 *   has tens of thousands of `user` values).
 * - `issue_tag_values_key_value` finds the issues that have a tag value (`browser:Chrome`), so
 *   that a search for a rare value does not probe the tag values of every issue in the list.
 */
export async function up(db: Kysely<unknown>, _dialect: Dialect): Promise<void> {
  await db.schema
    .createIndex('issues_project_status_times_seen')
    .on('issues')
    .columns(['project_id', 'status', 'times_seen'])
    .execute();
  await db.schema
    .createIndex('issues_project_status_user_count')
    .on('issues')
    .columns(['project_id', 'status', 'user_count'])
    .execute();
  await db.schema
    .createIndex('issue_tag_values_issue_key_count')
    .on('issue_tag_values')
    .columns(['issue_id', 'key', 'times_seen desc'])
    .execute();
  await db.schema
    .createIndex('issue_tag_values_key_value')
    .on('issue_tag_values')
    .columns(['key', 'value', 'issue_id'])
    .execute();
}
