export { loadFilterConfigs, FilterConfigCache, FILTER_CACHE_MAX_AGE_MS } from './filter-cache.js';
export { createFilterOptionsStore } from './filter-options-store.js';
export { insertNewProjectFilterSettings } from './filter-repository.js';
export { registerFilterRoutes } from './filter-routes.js';
export {
  compileFilterConfig,
  shouldFilterEvent,
  shouldFilterTransaction,
  type InboundFilterConfig,
} from './inbound-filters.js';
export type { FilterReason } from '../../../shared/api/filters.js';
