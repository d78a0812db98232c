export * from './search-syntax.js';
export { runSearchSyntaxConformance } from './search-conformance.js';
export type { SearchSyntaxReport, SearchSyntaxMismatch } from './search-conformance.js';
export {
  checkFilterCount,
  checkQueryLength,
  MAX_SEARCH_FILTERS,
  readTimeWindow,
  type TimeWindow,
} from './time-window.js';
