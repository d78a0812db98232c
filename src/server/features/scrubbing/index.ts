export { compilePiiConfig, type CompiledPiiConfig, PiiConfigError } from './compile-config.js';
export { scrubPayload, type ScrubReport } from './pii-processor.js';
export { EVENT_SPEC } from './pii-schema.js';
export { describeErrorSafely } from './safe-error.js';
export { scrubEvent, scrubItemRecords } from './scrub-records.js';
export { loadScrubbingConfigs, ScrubbingSettingsRepository } from './scrubbing-repository.js';
export {
  buildScrubbingConfig,
  ORGANIZATION_DEFAULTS,
  PROJECT_DEFAULTS,
} from './scrubbing-settings.js';
export {
  combineProjectFieldsStores,
  createScrubbingFieldsStore,
} from './scrubbing-fields-store.js';
export { registerScrubbingRoutes } from './scrubbing-routes.js';
