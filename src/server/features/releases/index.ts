export { recordEventReleases, type EventReleaseFields } from './event-releases.js';
export { ReleaseRepository } from './release-repository.js';
export { registerReleaseRoutes } from './release-routes.js';
export { ReleaseWriteRepository } from './release-write-repository.js';
export { checkReleaseVersion, shortenVersion } from './release-version.js';
export { processSessionRecords } from './session-processor.js';
