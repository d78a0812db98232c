export * from './search-syntax.js';
export {
  checkFilterCount,
  checkQueryLength,
  MAX_SEARCH_FILTERS,
  readTimeWindow,
  type TimeWindow,
} from './time-window.js';
