export { BackpressureMonitor, type Backpressure } from './backpressure.js';
export { isOriginAllowed, parseAllowedDomains, requestOrigin } from './allowed-domains.js';
export { MemoryCounterStore, type CounterStore } from './counter-store.js';
export { FallbackCounterStore } from './fallback-counter-store.js';
export { RedisConnection } from './redis-connection.js';
export { RedisCounterStore } from './redis-counter-store.js';
export {
  MAX_RATE_LIMIT_WINDOW,
  parseStoredKeyControls,
  readAllowedDomains,
  toRateLimitSetting,
  type StoredKeyControls,
} from './key-settings.js';
export type { RateLimit, RateLimitSetting } from './quotas.js';
export { formatRateLimits, retryAfterSeconds } from './rate-limit-header.js';
export {
  limitForCategory,
  limitForDetachedCategory,
  RateLimiter,
  type KeyControls,
  type RateLimitDecision,
} from './rate-limiter.js';
export {
  allowedDomainsSchema,
  parseBody,
  rateLimitSchema,
  toStoredRateLimit,
} from './settings-schemas.js';
export { IngestControlRepository } from './ingest-control-repository.js';
export { registerIngestControlRoutes } from './ingest-control-routes.js';
export type { SpikeProtectionOptions } from './spike-protection.js';
