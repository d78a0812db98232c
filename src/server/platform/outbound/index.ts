export { blockedAddressReason } from './address-policy.js';
export { OutboundAllowList } from './allow-list.js';
export { OutboundError, type OutboundErrorKind } from './outbound-error.js';
export {
  DEFAULT_MAX_REDIRECTS,
  DEFAULT_MAX_RESPONSE_BYTES,
  DEFAULT_TIMEOUT_MS,
  excerptOf,
  safeFetch,
  type OutboundRequest,
  type OutboundResponse,
  type SafeFetchOptions,
} from './safe-fetch.js';
