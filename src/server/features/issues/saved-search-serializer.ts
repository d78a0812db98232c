import type { IssueSort, SavedSearch } from '../../../shared/api/issues.js';
import type { SavedSearchRecord } from './saved-search-repository.js';

/** Serializes a saved search in the shape of Sentry's saved-search endpoints. */
export function serializeSavedSearch(record: SavedSearchRecord): SavedSearch {
  return {
    id: String(record.id),
    type: 0,
    name: record.name,
    query: record.query,
    sort: record.sort as IssueSort,
    visibility: record.visibility === 'organization' ? 'organization' : 'owner',
    isGlobal: false,
    isPinned: false,
    dateCreated: new Date(record.createdAt).toISOString(),
  };
}
