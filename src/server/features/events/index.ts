export { EventRepository, type EventRow } from './event-repository.js';
export { readPayload, serializeEvent } from './event-serializer.js';
export { eventSearchConditions, type EventListScope } from './event-search-sql.js';
export { compressPayload, inflatePayload } from './payload-codec.js';
export {
  attachPayloadDictionaries,
  deleteUnusedPayloadDictionaries,
  findOrCreateIssueDictionaries,
  readStoredPayloads,
  type StoredPayload,
} from './payload-dictionaries.js';
