export { IssueRepository } from './issue-repository.js';
export { registerIssueRoutes } from './issue-routes.js';
export { serializeIssue } from './issue-serializer.js';
