export { EventRepository, type EventRow } from './event-repository.js';
export { readPayload, serializeEvent } from './event-serializer.js';
export { eventSearchConditions, type EventListScope } from './event-search-sql.js';
