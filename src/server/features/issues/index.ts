export { registerEnvironmentRoutes } from './environment-routes.js';
export { IssueRepository } from './issue-repository.js';
export { registerIssueRoutes } from './issue-routes.js';
export { serializeIssue } from './issue-serializer.js';
export { registerSavedSearchRoutes } from './saved-search-routes.js';
